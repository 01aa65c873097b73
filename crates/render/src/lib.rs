//! Rendering the site graph to HTML.
//!
//! For now a plain, valid, accessible page per route: title, date and author, the Markdown
//! body and links to the feed's items. The full theme (templates per model, generated CSS)
//! replaces this in the theme issue; the interface (`render_route`) stays.
#![warn(missing_docs)]

mod markdown;

pub mod styles;
pub mod video;

pub use markdown::{render_markdown, render_markdown_inline};

use folio_content::{ContentObject, Route, Site};
use serde_json::Value as Json;
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

/// The page's `<title>`: `metaTitle` or `title`, plus the site's `titleSuffix` unless the page
/// sets `addTitleSuffix: false`.
pub fn page_title(site: &Site, object: &ContentObject) -> String {
    let base = object
        .str("metaTitle")
        .filter(|t| !t.is_empty())
        .or_else(|| object.str("title"))
        .unwrap_or_default();
    let suffix = site
        .config
        .as_ref()
        .and_then(|c| c.str("titleSuffix"))
        .filter(|s| !s.is_empty());
    let add = object.data.get("addTitleSuffix").and_then(Json::as_bool) != Some(false);
    match suffix {
        Some(suffix) if add && !base.is_empty() => format!("{base} - {suffix}"),
        Some(suffix) if add => suffix.to_string(),
        _ => base.to_string(),
    }
}

fn person_name(site: &Site, object: &ContentObject) -> Option<String> {
    let author = site.object(object.str("author")?)?;
    let first = author.str("firstName").unwrap_or_default();
    let last = author.str("lastName").unwrap_or_default();
    Some(format!("{first} {last}").trim().to_string())
}

/// Render one route as a complete HTML document.
pub fn render_route(site: &Site, route: &Route) -> String {
    let page = &site.pages[route.page];
    let object = &page.object;
    let mut html = String::with_capacity(4096);
    let title = page_title(site, object);
    let description = object
        .str("metaDescription")
        .or_else(|| object.str("excerpt"))
        .unwrap_or_default();
    let _ = write!(
        html,
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n",
        escape_html(&title)
    );
    if !description.is_empty() {
        let _ = writeln!(
            html,
            "<meta name=\"description\" content=\"{}\">",
            escape_html(description)
        );
    }
    html.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n</head>\n<body>\n<main id=\"main\">\n<article>\n");
    if let Some(date) = object.date {
        let _ = write!(
            html,
            "<p><time datetime=\"{}\">{}</time>",
            date.machine(),
            date.display()
        );
        if let Some(name) = person_name(site, object) {
            let _ = write!(html, " | {}", escape_html(&name));
        }
        html.push_str("</p>\n");
    }
    if let Some(t) = object.str("title") {
        let _ = writeln!(html, "<h1>{}</h1>", escape_html(t));
    }
    if let Some(body) = &object.body {
        html.push_str(&render_markdown(body));
    }
    if object.is("PostFeedLayout") || object.is("ProjectFeedLayout") {
        html.push_str("<ul>\n");
        for &item in site.feed_items(route.page, route.number) {
            let p = &site.pages[item];
            let _ = writeln!(
                html,
                "<li><a href=\"{}\">{}</a></li>",
                escape_html(&p.url),
                escape_html(p.object.str("title").unwrap_or(&p.url))
            );
        }
        html.push_str("</ul>\n");
    }
    html.push_str("</article>\n</main>\n</body>\n</html>\n");
    html
}
