//! A page published with nothing to see: its `<main>` holds no text and no image, video or
//! embed (a page whose sections were all left out, a layout whose fields are all empty). The
//! build warns at the page's `type`, since the main navigation may well link to it.

use folio_content::ContentObject;
use folio_diag::Diagnostic;

/// Whether the `<main>` of `html` shows nothing: no text outside tags (beyond whitespace and
/// the visually hidden title) and no `img`, `picture`, `video`, `iframe`, `svg`, `form`,
/// `input`, and the page has no background image. A document without `<main>` is not judged.
pub fn main_is_empty(html: &str) -> bool {
    let Some(start) = html.find("<main") else {
        return false;
    };
    // The page's own background image (drawn behind <main>) is something to see.
    if html.contains("background-image") {
        return false;
    }
    let end = html[start..]
        .find("</main>")
        .map_or(html.len(), |e| start + e);
    let main = &html[start..end];
    let lower = main.to_ascii_lowercase();
    let media = [
        "<img",
        "<picture",
        "<video",
        "<iframe",
        "<svg",
        "<form",
        "<input",
        "<audio",
        "background-image",
    ];
    if media.iter().any(|m| lower.contains(m)) {
        return false;
    }
    // Text outside tags, leaving out the screen-reader-only title (`<h1 class="sr-only">`).
    let mut rest = main;
    let mut hidden_depth = 0usize;
    while let Some(open) = rest.find('<') {
        if hidden_depth == 0 && !rest[..open].trim().is_empty() {
            return false;
        }
        let close = rest[open..].find('>').map_or(rest.len(), |c| open + c + 1);
        let tag = &rest[open..close];
        if tag.contains("sr-only") {
            hidden_depth += 1;
        } else if hidden_depth > 0 && tag.starts_with("</") {
            hidden_depth -= 1;
        }
        rest = &rest[close..];
    }
    rest.trim().is_empty()
}

/// The warning for a page whose rendering shows nothing.
pub fn empty_page_warning(page: &ContentObject, url: &str) -> Diagnostic {
    Diagnostic::warning(
        "build/empty-page",
        format!("`{url}` is published with nothing to see"),
    )
    .in_file(&page.path)
    .at(page.type_span)
    .with_label("this page renders an empty <main>")
    .with_help(
        "give it content (sections, a body), or remove it; if its content is of a type folio has no template for, `folio check` names it",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_main_with_only_a_hidden_title_is_empty() {
        assert!(main_is_empty(
            "<body><header>Site</header><main id=\"main\"><h1 class=\"sr-only\">Shop</h1>\n<div> </div></main></body>"
        ));
        assert!(!main_is_empty(
            "<main><h1 class=\"sr-only\">A</h1><p>Words</p></main>"
        ));
        assert!(!main_is_empty(
            "<main><div><img src=\"/a.png\" alt=\"\"></div></main>"
        ));
        assert!(!main_is_empty("<body>no main</body>"));
    }
}
