//! Markdown → HTML: CommonMark with the GFM extensions (tables, strikethrough, task lists,
//! footnotes, autolinks) read as markdown-to-jsx reads them where a reader would see a difference
//! (bare URLs, `##Heading`: `markdown_jsx.rs`), raw HTML passed through as the original does (with the Markdown
//! between its tags rendered, as markdown-to-jsx does: `markdown_html.rs`), headings with slug ids,
//! and fenced code highlighted at build time into CSS classes (no client JavaScript).

use pulldown_cmark::{html, CodeBlockKind, CowStr, Event, Options, Parser, Tag, TagEnd};
use std::collections::HashMap;
use std::sync::OnceLock;
use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

/// Prefix of the highlighter's CSS classes.
pub const HIGHLIGHT_CLASS_PREFIX: &str = "hl-";

fn syntaxes() -> &'static SyntaxSet {
    // Immutable, loaded on first use: most pages have no code at all. The grammars run on
    // Oniguruma (syntect's `regex-onig`), not the pure-Rust `fancy-regex`: a snippet highlights
    // 2–3 times faster and a grammar compiles 10–30 times faster (25–70 ms for Rust or
    // JavaScript, which was most of a small site's build), for a C library built by `cc`.
    static SYNTAXES: OnceLock<SyntaxSet> = OnceLock::new();
    SYNTAXES.get_or_init(two_face::syntax::extra_newlines)
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_GFM
}

/// What an image in Markdown gets besides `src` and `alt`, by URL: its attributes (size,
/// `srcset`, lazy loading) and the `<source>` of a `<picture>` around it (empty for none).
pub type ImageAttributes<'a> = &'a dyn Fn(&str) -> (String, String);

/// Render a Markdown document (block mode) to HTML; images load lazily.
pub fn render_markdown(source: &str) -> String {
    render_markdown_with(source, &|_| {
        (
            r#" loading="lazy" decoding="async""#.to_string(),
            String::new(),
        )
    })
}

/// Render a Markdown document (block mode) to HTML, with the attributes of each image from
/// `images`.
pub fn render_markdown_with(source: &str, images: ImageAttributes<'_>) -> String {
    let source = crate::markdown_jsx::space_atx_headings(source);
    let events =
        crate::markdown_jsx::autolink_bare_urls(Parser::new_ext(&source, options()).collect());
    let events = transform(events, Some(images));
    let mut out = String::with_capacity(source.len() * 3 / 2);
    html::push_html(&mut out, events.into_iter());
    out
}

/// The opening of `source` as plain text for a page's description: its paragraphs' words
/// (no headings, code blocks or HTML), cut after the sentence that reaches `max` characters,
/// else at a word with `…`; `None` when it has no prose.
pub fn plain_summary(source: &str, max: usize) -> Option<String> {
    let mut text = String::new();
    let mut depth_skipped = 0usize;
    for event in Parser::new_ext(source, Options::empty()) {
        match event {
            Event::Start(Tag::Heading { .. } | Tag::CodeBlock(_) | Tag::Image { .. }) => {
                depth_skipped += 1
            }
            Event::End(TagEnd::Heading(_) | TagEnd::CodeBlock | TagEnd::Image) => {
                depth_skipped = depth_skipped.saturating_sub(1)
            }
            Event::Text(t) | Event::Code(t) if depth_skipped == 0 => text.push_str(&t),
            Event::SoftBreak | Event::HardBreak | Event::End(TagEnd::Paragraph) => text.push(' '),
            _ => {}
        }
        if text.chars().count() > max * 2 {
            break;
        }
    }
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.is_empty() {
        return None;
    }
    let mut out = String::new();
    for word in words {
        if !out.is_empty() && out.chars().count() + 1 + word.chars().count() > max {
            let sentence_end = out.rfind(['.', '!', '?']).filter(|&i| i > max / 3);
            return Some(match sentence_end {
                Some(i) => out[..=i].to_string(),
                None => format!("{}…", out.trim_end_matches([',', ';', ':'])),
            });
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    Some(out)
}

/// Render Markdown inline: the paragraphs' contents without `<p>` wrappers (footer copyright).
pub fn render_markdown_inline(source: &str) -> String {
    let events: Vec<Event> = Parser::new_ext(source, options())
        .filter(|e| {
            !matches!(
                e,
                Event::Start(Tag::Paragraph) | Event::End(TagEnd::Paragraph)
            )
        })
        .collect();
    let events = crate::markdown_jsx::autolink_bare_urls(events);
    let mut out = String::new();
    html::push_html(&mut out, transform(events, None).into_iter());
    out
}

/// Heading ids, code highlighting, and images with the attributes from `images`.
fn transform<'a>(events: Vec<Event<'a>>, images: Option<ImageAttributes<'_>>) -> Vec<Event<'a>> {
    let mut out = Vec::with_capacity(events.len());
    let mut used_ids: HashMap<String, usize> = HashMap::new();
    let mut i = 0;
    while i < events.len() {
        match &events[i] {
            Event::Start(Tag::Heading {
                level,
                id: None,
                classes,
                attrs,
            }) => {
                let end = events[i..]
                    .iter()
                    .position(|e| matches!(e, Event::End(TagEnd::Heading(_))))
                    .map_or(events.len(), |p| i + p);
                let text: String = events[i + 1..end]
                    .iter()
                    .filter_map(|e| match e {
                        Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
                        _ => None,
                    })
                    .collect();
                let id = unique_slug(&text, &mut used_ids);
                out.push(Event::Start(Tag::Heading {
                    level: *level,
                    id: (!id.is_empty()).then(|| CowStr::from(id)),
                    classes: classes.clone(),
                    attrs: attrs.clone(),
                }));
                i += 1;
            }
            // The text inside an HTML block is Markdown, as markdown-to-jsx reads it.
            Event::Start(Tag::HtmlBlock) => {
                let end = events[i..]
                    .iter()
                    .position(|e| matches!(e, Event::End(TagEnd::HtmlBlock)))
                    .map_or(events.len(), |p| i + p);
                let html: String = events[i + 1..end]
                    .iter()
                    .filter_map(|e| match e {
                        Event::Html(t) | Event::Text(t) => Some(t.as_ref()),
                        _ => None,
                    })
                    .collect();
                let block = |text: &str| match images {
                    Some(images) => render_markdown_with(text, images),
                    None => render_markdown(text),
                };
                let rendered =
                    crate::markdown_html::markdown_in_html(&html, &block, &render_markdown_inline);
                out.push(Event::Html(CowStr::from(rendered)));
                i = end + 1;
                continue;
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => info
                        .split([' ', ',', '{'])
                        .next()
                        .unwrap_or_default()
                        .to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                let end = events[i..]
                    .iter()
                    .position(|e| matches!(e, Event::End(TagEnd::CodeBlock)))
                    .map_or(events.len(), |p| i + p);
                let code: String = events[i + 1..end]
                    .iter()
                    .filter_map(|e| match e {
                        Event::Text(t) => Some(t.as_ref()),
                        _ => None,
                    })
                    .collect();
                out.push(Event::Html(CowStr::from(highlight(&code, &lang))));
                i = end + 1;
                continue;
            }
            Event::Start(Tag::Image {
                dest_url, title, ..
            }) if images.is_some() => {
                let end = events[i..]
                    .iter()
                    .position(|e| matches!(e, Event::End(TagEnd::Image)))
                    .map_or(events.len(), |p| i + p);
                let alt: String = events[i + 1..end]
                    .iter()
                    .filter_map(|e| match e {
                        Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
                        _ => None,
                    })
                    .collect();
                let (attributes, source) = images.map(|f| f(dest_url)).unwrap_or_default();
                let title = if title.is_empty() {
                    String::new()
                } else {
                    format!(" title=\"{}\"", crate::escape_html(title))
                };
                let img = format!(
                    "<img src=\"{}\" alt=\"{}\"{title}{attributes}>",
                    crate::escape_html(dest_url),
                    crate::escape_html(&alt)
                );
                out.push(Event::InlineHtml(CowStr::from(if source.is_empty() {
                    img
                } else {
                    format!("<picture>{source}{img}</picture>")
                })));
                i = end + 1;
            }
            _ => {
                out.push(events[i].clone());
                i += 1;
            }
        }
    }
    out
}

/// `Hello, World!` → `hello-world`; repeated headings get `-1`, `-2`…
fn unique_slug(text: &str, used: &mut HashMap<String, usize>) -> String {
    let mut slug = String::new();
    for c in text.trim().chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() || c == '-' || c == '_' {
            slug.push(c);
        } else if c.is_whitespace() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let slug = slug.trim_matches('-').to_string();
    let n = used.entry(slug.clone()).or_insert(0);
    *n += 1;
    if *n == 1 {
        slug
    } else {
        format!("{slug}-{}", *n - 1)
    }
}

/// A `<pre>` block with highlighter classes, or plain escaped code for unknown languages.
fn highlight(code: &str, lang: &str) -> String {
    let set = syntaxes();
    let syntax = (!lang.is_empty())
        .then(|| set.find_syntax_by_token(lang))
        .flatten();
    let lang_class = if lang.is_empty() {
        String::new()
    } else {
        format!(" class=\"lang-{}\"", crate::escape_html(lang))
    };
    let Some(syntax) = syntax else {
        return format!(
            "<pre{lang_class}><code>{}</code></pre>\n",
            crate::escape_html(code)
        );
    };
    let mut generator = ClassedHTMLGenerator::new_with_class_style(
        syntax,
        set,
        ClassStyle::SpacedPrefixed {
            prefix: HIGHLIGHT_CLASS_PREFIX,
        },
    );
    for line in LinesWithEndings::from(code) {
        if generator
            .parse_html_for_line_which_includes_newline(line)
            .is_err()
        {
            return format!(
                "<pre{lang_class}><code>{}</code></pre>\n",
                crate::escape_html(code)
            );
        }
    }
    format!(
        "<pre{lang_class}><code class=\"highlight\">{}</code></pre>\n",
        generator.finalize()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_gfm_tables_strikethrough_and_task_lists() {
        let html = render_markdown("a | b\n--|--\n1 | 2\n\n~~gone~~\n\n- [x] done\n");
        assert!(
            html.contains("<table>") && html.contains("<del>gone</del>"),
            "{html}"
        );
        assert!(html.contains("type=\"checkbox\""), "{html}");
    }

    #[test]
    fn images_get_their_attributes_and_load_lazily() {
        let html = render_markdown("![A *cat*](/i/cat.png \"Tom\")\n");
        assert!(
            html.contains(
                r#"<img src="/i/cat.png" alt="A cat" title="Tom" loading="lazy" decoding="async">"#
            ),
            "{html}"
        );
        let attrs = |url: &str| (format!(" data-url=\"{url}\""), "<source>".to_string());
        let html = render_markdown_with("![a](/b.png)", &attrs);
        assert!(
            html.contains(
                r#"<picture><source><img src="/b.png" alt="a" data-url="/b.png"></picture>"#
            ),
            "{html}"
        );
    }

    #[test]
    fn headings_get_unique_slug_ids() {
        let html = render_markdown("## Hello, World!\n\n## Hello, World!\n");
        assert!(html.contains("<h2 id=\"hello-world\">"), "{html}");
        assert!(html.contains("<h2 id=\"hello-world-1\">"), "{html}");
    }

    #[test]
    fn fenced_code_is_highlighted_with_classes() {
        let html = render_markdown("```rust\nfn main() {}\n```\n");
        assert!(html.contains("class=\"lang-rust\""), "{html}");
        assert!(html.contains("hl-"), "{html}");
        let plain = render_markdown("```nosuchlang\n<x>\n```\n");
        assert!(plain.contains("&lt;x&gt;"), "{plain}");
    }

    #[test]
    fn raw_html_passes_through_and_inline_mode_has_no_paragraphs() {
        assert!(
            render_markdown("<div class=\"x\">hi</div>\n").contains("<div class=\"x\">hi</div>")
        );
        assert_eq!(
            render_markdown_inline("© 2024 *me*").trim(),
            "© 2024 <em>me</em>"
        );
    }

    #[test]
    fn a_summary_is_the_opening_prose_cut_at_a_sentence_or_a_word() {
        let body = "# Title\n\nFirst sentence here. Second one is a little longer than that.\n\n```\ncode\n```";
        assert_eq!(
            plain_summary(body, 40).as_deref(),
            Some("First sentence here.")
        );
        assert_eq!(
            plain_summary("one two three four five six", 14).as_deref(),
            Some("one two three…")
        );
        assert_eq!(plain_summary("## Only a heading", 40), None);
    }
}
