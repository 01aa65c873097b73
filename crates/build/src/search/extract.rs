//! The searchable text of a rendered page: its title and the words of its content, each with
//! the weight of where it stands (title, heading, text).
//!
//! The theme marks a page's own content with `data-pagefind-body` (so that the header and
//! footer are not indexed) and lists of other pages with `data-pagefind-ignore` (so that a word
//! finds the post it is in, not every page listing that post); the marks keep Pagefind's names,
//! which ejected themes and site templates already carry. A page without the body mark is
//! indexed whole (`<body>`) when no page of the site has the mark, and not at all otherwise (the
//! "page not found" document).
//!
//! The pages are folio's own output, HTML5 as its templates and Markdown renderer write it, and
//! there are tens of thousands of them: a single pass over the bytes reads them, at a few
//! hundred MB/s. It needs only tag names, two attributes and text, and stays on its feet on any
//! markup: unknown or unclosed elements, stray end tags, comments, and raw text (`<script>`,
//! `<style>`) are all read without a tree.

use memchr::memmem;

/// The attribute marking the content to index.
const BODY_MARK: &str = "data-pagefind-body";
/// The attribute marking content not to index, with everything inside it.
const IGNORE_MARK: &str = "data-pagefind-ignore";

/// Where a piece of text stands, which weighs its words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Weight {
    /// The page's title (its first `<h1>`).
    Title,
    /// Another heading (`<h1>`…`<h6>`).
    Heading,
    /// Everything else.
    Text,
}

/// What the index takes from one page.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct PageText {
    /// Its first `<h1>` in the content, else its `<title>`.
    pub title: String,
    /// Its content as one line of text (whitespace collapsed), shown in excerpts.
    pub content: String,
    /// The ranges of `content` under headings: `(start, end, weight)`.
    pub weighted: Vec<(usize, usize, Weight)>,
    /// Whether the page has the body mark (read from it on), or was read whole (`<body>`).
    pub marked: bool,
}

/// The searchable text of `html`: what is inside the body mark, or the whole `<body>` of a page
/// without it (the index leaves such a page out when other pages have the mark).
pub fn page_text(html: &str) -> PageText {
    let mark = find_body_mark(html);
    let region = mark.unwrap_or_else(|| memmem::find(html.as_bytes(), b"<body").unwrap_or(0));
    let mut reader = Reader::default();
    reader.read(&html[region..]);
    let mut text = reader.text;
    if text.title.is_empty() {
        // The document's own `<title>` is in its head, before the content (not an SVG's).
        let head_end = memmem::find(html.as_bytes(), b"<body").unwrap_or(region);
        text.title = document_title(&html[..head_end.min(region)]);
    }
    text.marked = mark.is_some();
    text
}

/// Where the start tag carrying the body mark begins: the mark as an attribute (inside a tag),
/// not as words in the text (a post about Pagefind).
fn find_body_mark(html: &str) -> Option<usize> {
    memmem::find_iter(html.as_bytes(), BODY_MARK.as_bytes()).find_map(|at| {
        let before = &html[..at];
        let lt = before.rfind('<')?;
        let inside_tag = before.rfind('>').is_none_or(|gt| gt < lt);
        let attribute = before.ends_with(|c: char| c.is_ascii_whitespace());
        (inside_tag && attribute).then_some(lt)
    })
}

/// The text of the document's `<title>`.
fn document_title(html: &str) -> String {
    let Some(start) = memmem::find(html.as_bytes(), b"<title") else {
        return String::new();
    };
    let rest = &html[start..];
    let (Some(open), Some(close)) = (rest.find('>'), memmem::find(rest.as_bytes(), b"</title"))
    else {
        return String::new();
    };
    if close <= open {
        return String::new();
    }
    let mut reader = Reader::default();
    reader.push_text(&rest[open + 1..close]);
    reader.text.content
}

/// Elements whose content is not text, skipped whole.
const SKIPPED: [&str; 8] = [
    "script", "style", "template", "svg", "noscript", "iframe", "object", "math",
];
/// Elements without an end tag.
const VOID: [&str; 13] = [
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr",
];
/// Elements that do not end a word where they start or end (`<em>`, `<a>` inside a sentence).
const INLINE: [&str; 22] = [
    "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "dfn", "em", "i", "kbd", "mark", "q",
    "s", "samp", "small", "span", "strong", "sub", "sup", "u",
];

/// An open element.
struct Open {
    name: String,
    ignored: bool,
    heading: Option<Weight>,
}

/// The scanner's state over one region.
#[derive(Default)]
struct Reader {
    text: PageText,
    open: Vec<Open>,
    /// How many open elements are ignored (text inside any is skipped).
    ignoring: usize,
    /// The open heading's weight and where its text started.
    heading: Option<(Weight, usize)>,
    /// Whether a space is owed before the next text.
    space: bool,
}

impl Reader {
    /// Read `html` from the start tag of the region's element to its end tag (or the end).
    fn read(&mut self, html: &str) {
        let bytes = html.as_bytes();
        let mut at = 0;
        while at < bytes.len() {
            let Some(lt) = memchr::memchr(b'<', &bytes[at..]).map(|i| at + i) else {
                self.push_text(&html[at..]);
                return;
            };
            if lt > at {
                self.push_text(&html[at..lt]);
            }
            at = self.tag(html, lt);
            if self.open.is_empty() {
                return; // the region's element closed
            }
        }
    }

    /// Read the markup at `lt` (a `<`) and return where the text after it starts.
    fn tag(&mut self, html: &str, lt: usize) -> usize {
        let rest = &html[lt..];
        if rest.starts_with("<!--") {
            return memmem::find(&rest.as_bytes()[4..], b"-->").map_or(html.len(), |i| lt + i + 7);
        }
        let end = tag_end(rest).map_or(html.len(), |i| lt + i + 1);
        let inner = &html[lt + 1..end.saturating_sub(1).max(lt + 1)];
        if let Some(closing) = inner.strip_prefix('/') {
            self.close(&tag_name(closing));
            return end;
        }
        let name = tag_name(inner);
        if name.is_empty() {
            // `<` in text (`a < b`), or `<!doctype>` / `<?…>`: text, or nothing to read.
            if !inner.starts_with(['!', '?']) {
                self.push_text("<");
                return lt + 1;
            }
            return end;
        }
        if SKIPPED.contains(&name.as_str()) && !inner.ends_with('/') {
            return skip_raw(html, end, &name);
        }
        if !INLINE.contains(&name.as_str()) {
            self.space = true;
        }
        if VOID.contains(&name.as_str()) || inner.ends_with('/') {
            return end;
        }
        self.open_element(name, inner.contains(IGNORE_MARK));
        end
    }

    fn open_element(&mut self, name: String, ignored: bool) {
        let heading = match name.as_str() {
            "h1" if self.text.title.is_empty() && self.heading.is_none() => Some(Weight::Title),
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => Some(Weight::Heading),
            _ => None,
        };
        if let (Some(weight), None) = (heading, self.heading) {
            self.heading = Some((weight, self.text.content.len()));
        }
        self.ignoring += usize::from(ignored);
        self.open.push(Open {
            name,
            ignored,
            heading,
        });
    }

    /// An end tag: closes the innermost open element of that name and those inside it; a
    /// stray one (no such element open) is ignored.
    fn close(&mut self, name: &str) {
        let Some(at) = self.open.iter().rposition(|open| open.name == name) else {
            return;
        };
        for open in self.open.drain(at..).rev() {
            self.ignoring -= usize::from(open.ignored);
            if open.heading.is_some() {
                Self::end_heading(&mut self.text, &mut self.heading);
            }
        }
        if !INLINE.contains(&name) {
            self.space = true;
        }
    }

    fn end_heading(text: &mut PageText, heading: &mut Option<(Weight, usize)>) {
        let Some((weight, start)) = heading.take() else {
            return;
        };
        let start = start.min(text.content.len());
        let end = text.content.len();
        if weight == Weight::Title && text.title.is_empty() {
            text.title = text.content[start..end].trim().to_owned();
        }
        if end > start {
            text.weighted.push((start, end, weight));
        }
    }

    /// Text (entities decoded, whitespace collapsed) into the content, unless ignored.
    fn push_text(&mut self, raw: &str) {
        if self.ignoring > 0 {
            return;
        }
        let decoded = html_escape::decode_html_entities(raw);
        for piece in decoded.split(|c: char| c.is_whitespace()) {
            if piece.is_empty() {
                self.space = true;
                continue;
            }
            if self.space && !self.text.content.is_empty() {
                self.text.content.push(' ');
            }
            self.space = true;
            self.text.content.push_str(piece);
        }
        // A text that does not end in whitespace continues into an inline element after it.
        if !decoded.ends_with(char::is_whitespace) {
            self.space = false;
        }
    }
}

/// The `>` ending the tag that starts `rest` (quoted `>`s in attribute values skipped).
fn tag_end(rest: &str) -> Option<usize> {
    let mut quote = None;
    for (i, b) in rest.bytes().enumerate().skip(1) {
        match (quote, b) {
            (None, b'"' | b'\'') => quote = Some(b),
            (Some(q), _) if q == b => quote = None,
            (None, b'>') => return Some(i),
            _ => {}
        }
    }
    None
}

/// A tag's name, lowercased (empty when `inner` does not start with one).
fn tag_name(inner: &str) -> String {
    let name: String = inner
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect();
    if name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        name.to_ascii_lowercase()
    } else {
        String::new()
    }
}

/// Past the end tag of the raw-text element `name` whose content starts at `from`.
fn skip_raw(html: &str, from: usize, name: &str) -> usize {
    let closing = format!("</{name}");
    let lower = html.as_bytes()[from..]
        .windows(closing.len())
        .position(|w| w.eq_ignore_ascii_case(closing.as_bytes()));
    match lower {
        Some(i) => {
            let at = from + i;
            tag_end(&html[at..]).map_or(html.len(), |e| at + e + 1)
        }
        None => html.len(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(html: &str) -> PageText {
        let text = page_text(html);
        assert!(text.marked, "{html}");
        text
    }

    #[test]
    fn reads_the_marked_content_with_its_title_and_headings() {
        let page = text(
            "<html><head><title>Doc | Site</title></head><body><header>Menu words</header>\
             <main data-pagefind-body><h1>The <em>real</em> title</h1><p>First para&amp;more.</p>\
             <h2>Sub</h2><p>Line<br>break</p></main><footer>Footer words</footer></body></html>",
        );
        assert_eq!(page.title, "The real title");
        assert_eq!(
            page.content,
            "The real title First para&more. Sub Line break"
        );
        let spans: Vec<_> = page
            .weighted
            .iter()
            .map(|&(s, e, w)| (page.content[s..e].trim(), w))
            .collect();
        assert_eq!(
            spans,
            [("The real title", Weight::Title), ("Sub", Weight::Heading)]
        );
    }

    #[test]
    fn ignored_lists_scripts_comments_and_stray_tags_leave_no_words() {
        let page = text(
            "<div data-pagefind-body><p>kept</p><div data-pagefind-ignore><p>listed <b>post</b></p>\
             </div><script>let x = '<p>code</p>';</script><!-- a <p>comment</p> --></span>\
             <style>p{}</style><svg><title>icon</title></svg><p>a < b and <unclosed>end</p></div>\
             <p>after the region</p>",
        );
        assert_eq!(page.content, "kept a < b and end");
        assert_eq!(page.title, "", "no h1 and no <title>");
    }

    #[test]
    fn pages_without_the_mark_are_read_whole() {
        let html = "<html><head><title>T</title></head><body><p>All words</p></body></html>";
        let page = page_text(html);
        assert!(!page.marked);
        assert_eq!(page.content, "All words");
        assert_eq!(page.title, "T");
    }

    #[test]
    fn inline_elements_do_not_split_words_and_blocks_do() {
        assert_eq!(
            text("<div data-pagefind-body><p>un<b>break</b>able</p><p>next</p><li>a</li><li>b</li></div>")
                .content,
            "unbreakable next a b"
        );
    }

    #[test]
    fn never_panics_on_broken_markup() {
        for html in [
            "<div data-pagefind-body><",
            "<div data-pagefind-body><p class=\"x>",
            "<div data-pagefind-body><script>",
            "<div data-pagefind-body><!--",
            "<div data-pagefind-body></>",
            "<div data-pagefind-body>é<é>&#xFFFFFF;",
            "data-pagefind-body",
        ] {
            let _ = page_text(html);
        }
    }
}
