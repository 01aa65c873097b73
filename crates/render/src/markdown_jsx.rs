//! Where markdown-to-jsx (the original theme's renderer) reads Markdown differently from
//! CommonMark in a way a reader sees, found by rendering the bodies of real sites with both:
//! - a bare `https://…` URL in text is a link (markdown-to-jsx's bare-URL autolink rule: the
//!   URL runs to a space or `<`, without a trailing `.,:;"')]`);
//! - `##Heading`, with no space after the hashes, is a heading (markdown-to-jsx does not
//!   enforce the space unless `enforceAtxHeadings` is set, and the theme never sets it), and
//!   it ends the paragraph above it, as any heading does.
//!
//! Both are applied around pulldown-cmark: the headings to the source, the links to the events.

use pulldown_cmark::{CowStr, Event, LinkType, Tag, TagEnd};
use std::borrow::Cow;

/// `source` with a space after the hashes of each line that markdown-to-jsx reads as an ATX
/// heading and CommonMark does not (`##De R$597` → `## De R$597`); fenced code is left alone.
pub(crate) fn space_atx_headings(source: &str) -> Cow<'_, str> {
    let mut fence: Option<(u8, usize)> = None;
    let mut insert_at = Vec::new();
    let mut start = 0;
    for line in source.split_inclusive('\n') {
        let indent = line.len() - line.trim_start_matches(' ').len();
        let body = &line[indent..];
        if indent <= 3 {
            if let Some(marker) = fence_marker(body) {
                fence = match fence {
                    None => Some(marker),
                    Some((c, n)) if marker.0 == c && marker.1 >= n => None,
                    open => open,
                };
            } else if fence.is_none() {
                let hashes = body.bytes().take_while(|&b| b == b'#').count();
                let next = body.as_bytes().get(hashes).copied();
                if (1..=6).contains(&hashes) && next.is_some_and(|b| !b.is_ascii_whitespace()) {
                    insert_at.push(start + indent + hashes);
                }
            }
        }
        start += line.len();
    }
    if insert_at.is_empty() {
        return Cow::Borrowed(source);
    }
    let mut out = String::with_capacity(source.len() + insert_at.len());
    let mut from = 0;
    for at in insert_at {
        out.push_str(&source[from..at]);
        out.push(' ');
        from = at;
    }
    out.push_str(&source[from..]);
    Cow::Owned(out)
}

/// The character and length of a code fence opening `line` (three or more backticks or
/// tildes), if it is one.
fn fence_marker(line: &str) -> Option<(u8, usize)> {
    let first = *line.as_bytes().first()?;
    if first != b'`' && first != b'~' {
        return None;
    }
    let n = line.bytes().take_while(|&b| b == first).count();
    (n >= 3).then_some((first, n))
}

/// `events` with every bare `http://` or `https://` URL in text (outside links, images and
/// code) turned into a link to itself.
pub(crate) fn autolink_bare_urls(events: Vec<Event<'_>>) -> Vec<Event<'_>> {
    if !events
        .iter()
        .any(|e| matches!(e, Event::Text(t) if t.contains("http")))
    {
        return events;
    }
    let mut out = Vec::with_capacity(events.len() + 8);
    // Inside a link, an image or a code block, text is never linked.
    let mut opaque = 0usize;
    let mut pending = String::new();
    let flush = |pending: &mut String, out: &mut Vec<Event<'_>>| {
        if !pending.is_empty() {
            push_linked(&std::mem::take(pending), out);
        }
    };
    for event in events {
        match event {
            Event::Text(text) if opaque == 0 => pending.push_str(&text),
            other => {
                flush(&mut pending, &mut out);
                match &other {
                    Event::Start(Tag::Link { .. } | Tag::Image { .. } | Tag::CodeBlock(_)) => {
                        opaque += 1
                    }
                    Event::End(TagEnd::Link | TagEnd::Image | TagEnd::CodeBlock) => {
                        opaque = opaque.saturating_sub(1)
                    }
                    _ => {}
                }
                out.push(other);
            }
        }
    }
    flush(&mut pending, &mut out);
    out
}

/// `text` as text events, with each bare URL in it as a link.
fn push_linked(text: &str, out: &mut Vec<Event<'_>>) {
    let mut rest = text;
    while let Some((before, url, after)) = next_bare_url(rest) {
        if !before.is_empty() {
            out.push(Event::Text(CowStr::from(before.to_string())));
        }
        out.push(Event::Start(Tag::Link {
            link_type: LinkType::Autolink,
            dest_url: CowStr::from(url.to_string()),
            title: CowStr::Borrowed(""),
            id: CowStr::Borrowed(""),
        }));
        out.push(Event::Text(CowStr::from(url.to_string())));
        out.push(Event::End(TagEnd::Link));
        rest = after;
    }
    if !rest.is_empty() {
        out.push(Event::Text(CowStr::from(rest.to_string())));
    }
}

/// The first bare URL of `text` that starts a word, with the text before and after it.
fn next_bare_url(text: &str) -> Option<(&str, &str, &str)> {
    let mut from = 0;
    while let Some(found) = text[from..].find("http") {
        let start = from + found;
        from = start + 4;
        let word_start = text[..start]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric());
        let scheme = ["https://", "http://"]
            .into_iter()
            .find(|s| text[start..].starts_with(s));
        let (true, Some(scheme)) = (word_start, scheme) else {
            continue;
        };
        let run = text[start..]
            .find(|c: char| c.is_whitespace() || c == '<')
            .map_or(text.len(), |n| start + n);
        let end = start
            + text[start..run]
                .trim_end_matches(['.', ',', ':', ';', '"', '\'', ')', ']'])
                .len();
        // markdown-to-jsx needs at least two characters after the scheme.
        if end >= start + scheme.len() + 2 {
            return Some((&text[..start], &text[start..end], &text[end..]));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render_markdown;

    #[test]
    fn a_heading_without_a_space_is_a_heading_that_ends_the_paragraph() {
        assert_eq!(space_atx_headings("##De R$597\n"), "## De R$597\n");
        let html = render_markdown("Curso FLOW\n##De R$597 por apenas\n");
        assert!(
            html.contains("<p>Curso FLOW</p>") && html.contains(">De R$597 por apenas</h2>"),
            "{html}"
        );
    }

    #[test]
    fn hashes_in_code_and_in_headings_already_spaced_stay_as_they_are() {
        for source in [
            "## Title\n",
            "```\n#include <stdio.h>\n```\n",
            "~~~~\n#x\n~~~\n#y\n~~~~\n",
            "    #indented code\n",
            "####### seven\n",
            "text #tag\n",
        ] {
            assert_eq!(space_atx_headings(source), source, "{source:?}");
        }
        // After the fence closes, the hashes are a heading again.
        assert_eq!(space_atx_headings("```\n```\n#x\n"), "```\n```\n# x\n");
    }

    #[test]
    fn bare_urls_are_links_without_their_trailing_punctuation() {
        let html = render_markdown("Original: https://flow.com/post/state. And (http://a.io/x).\n");
        assert!(
            html.contains(
                r#"<a href="https://flow.com/post/state">https://flow.com/post/state</a>. And"#
            ),
            "{html}"
        );
        assert!(
            html.contains(r#"(<a href="http://a.io/x">http://a.io/x</a>)."#),
            "{html}"
        );
    }

    #[test]
    fn urls_in_links_code_and_words_are_not_linked_again() {
        for source in [
            "[https://a.io/x](https://b.io)\n",
            "`https://a.io/x`\n",
            "```\nhttps://a.io/x\n```\n",
            "<https://a.io/x>\n",
        ] {
            let html = render_markdown(source);
            assert!(html.matches("<a ").count() <= 1, "{source:?}: {html}");
        }
        assert!(!render_markdown("xhttps://a.io/x\n").contains("<a "));
        assert!(!render_markdown("https://a\n").contains("<a "));
    }
}
