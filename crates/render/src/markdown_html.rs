//! Markdown inside raw HTML, as markdown-to-jsx (the original's renderer) reads it: the text
//! between the tags of an HTML block is Markdown, so `<div align="center">### [Docs](/docs)</div>`
//! is a centred heading with a link, where CommonMark passes the `###` and brackets through as
//! text. Tags, attributes and the contents of `pre`, `code`, `script`, `style` and `textarea`
//! are kept byte for byte.

/// Elements whose contents are never Markdown.
const VERBATIM: &[&str] = &["pre", "code", "script", "style", "textarea"];

/// `html` (one HTML block) with each run of text between tags that holds Markdown rendered:
/// a run that starts a block (a heading, a list, a quote) or spans paragraphs by `block`, any
/// other by `inline`.
pub(crate) fn markdown_in_html(
    html: &str,
    block: &dyn Fn(&str) -> String,
    inline: &dyn Fn(&str) -> String,
) -> String {
    let mut out = String::with_capacity(html.len() + 64);
    let mut verbatim: Option<String> = None;
    let mut rest = html;
    while !rest.is_empty() {
        let Some(open) = rest.find('<') else {
            out.push_str(&text_run(rest, verbatim.is_some(), block, inline));
            break;
        };
        out.push_str(&text_run(&rest[..open], verbatim.is_some(), block, inline));
        let tag_end = tag_end(&rest[open..]).map_or(rest.len(), |e| open + e);
        let tag = &rest[open..tag_end];
        out.push_str(tag);
        let name = tag_name(tag);
        match &verbatim {
            Some(inside) if tag.starts_with("</") && name == *inside => verbatim = None,
            None if !tag.starts_with("</") && VERBATIM.contains(&name.as_str()) => {
                verbatim = Some(name)
            }
            _ => {}
        }
        rest = &rest[tag_end..];
    }
    out
}

/// The end (after `>`) of the tag or comment at the start of `text`.
fn tag_end(text: &str) -> Option<usize> {
    if text.starts_with("<!--") {
        return text.find("-->").map(|e| e + 3);
    }
    let mut quote = None;
    for (i, c) in text.char_indices().skip(1) {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (None, '"' | '\'') => quote = Some(c),
            (None, '>') => return Some(i + 1),
            _ => {}
        }
    }
    None
}

fn tag_name(tag: &str) -> String {
    tag.trim_start_matches('<')
        .trim_start_matches('/')
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase()
}

/// A run of text between tags: rendered when it holds Markdown, else kept as written.
fn text_run(
    text: &str,
    verbatim: bool,
    block: &dyn Fn(&str) -> String,
    inline: &dyn Fn(&str) -> String,
) -> String {
    let trimmed = text.trim();
    if verbatim || trimmed.is_empty() || !has_markdown(trimmed) {
        return text.to_string();
    }
    let starts_block = trimmed.starts_with('#')
        || trimmed.starts_with("- ")
        || trimmed.starts_with("* ")
        || trimmed.starts_with("> ")
        || trimmed.starts_with("1. ")
        || trimmed.contains("\n\n");
    let rendered = if starts_block {
        block(trimmed)
    } else {
        inline(trimmed)
    };
    // Keep the whitespace around the run: it separates words from the tags.
    let lead = &text[..text.len() - text.trim_start().len()];
    let trail = &text[text.trim_end().len()..];
    format!("{lead}{}{trail}", rendered.trim_end())
}

/// Whether `text` has Markdown syntax (plain words are kept as they are, entities included).
fn has_markdown(text: &str) -> bool {
    text.starts_with('#')
        || text.contains("](")
        || text.contains("**")
        || text.contains("__")
        || text.contains('`')
        || text.starts_with("- ")
        || text.starts_with("* ")
        || text.starts_with("> ")
        || text.contains("\n\n")
        || (text.contains('*') && text.matches('*').count() >= 2)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::{render_markdown, render_markdown_inline};

    fn render(html: &str) -> String {
        markdown_in_html(html, &|s| render_markdown(s), &|s| {
            render_markdown_inline(s)
        })
    }

    #[test]
    fn markdown_between_tags_is_rendered() {
        assert_eq!(
            render("<div style=\"text-align:center\">### [Overview](/overview)</div>"),
            "<div style=\"text-align:center\"><h3 id=\"overview\"><a href=\"/overview\">Overview</a></h3></div>"
        );
        assert_eq!(
            render("<p align=\"center\">Made with **care** and `code`</p>"),
            "<p align=\"center\">Made with <strong>care</strong> and <code>code</code></p>"
        );
    }

    #[test]
    fn tags_plain_text_and_code_stay_as_written() {
        for html in [
            "<div class=\"a > b\">plain words &amp; an entity</div>",
            "<pre><code># not a heading **kept**</code></pre>",
            "<script>if (a ** 2) {}</script>",
            "<!-- a **comment** -->",
        ] {
            assert_eq!(render(html), html);
        }
    }
}
