//! Edit-mode annotations (`folio serve --edit`): every rendered object carries
//! `data-sb-object-id` (its content file) and every field `data-sb-field-path`, emitted here for
//! every template, never written by hand in one. Production renders never call into this module.
//!
//! How it works, in three places:
//! - the template values of an edit-mode render carry where each typed object lives:
//!   [`annotate_json`] adds `__object` (its file) and `__field` (`bottomSections.0`) to every
//!   object with a `type` nested in a file (a file itself already has `__path`);
//! - `component(obj)` adds `data-sb-object-id` (and `data-sb-field-path` for a nested object) to
//!   the first element of its output ([`annotate_root`]);
//! - the formatter marks text it prints that is a field of the object being rendered
//!   ([`find_field`], [`mark`]) with invisible private-use characters, and [`finish`] turns each
//!   mark into a `<span data-sb-field-path=…>` where it stands in element text, or drops it where
//!   it stands inside a tag (an attribute) or in raw text (`<title>`, `<script>`, …).
//!
//! A field path is always whole within its file (`bottomSections.0.title`); an element's
//! object is the nearest `data-sb-object-id` at or above it. Text read from another file (a
//! post's resolved `author`, a card's post) carries that file's `data-sb-object-id` itself.

use crate::escape_html;
use minijinja::value::ValueKind;
use minijinja::Value;
use serde_json::{Map, Value as Json};
use std::fmt::Write;

/// Starts a mark: `START object FIELD path TEXT escaped-text END` (an inline field).
const START: char = '\u{E000}';
/// Starts a mark around block HTML (a Markdown body): rendered as a `div`.
const START_BLOCK: char = '\u{E004}';
const FIELD: char = '\u{E001}';
const TEXT: char = '\u{E002}';
const END: char = '\u{E003}';
/// How deep [`find_field`] looks into nested lists and objects.
const MAX_DEPTH: usize = 8;
/// The field name of a page's Markdown body in the editor's paths (`folio_edit`).
const MARKDOWN_CONTENT: &str = "markdown_content";

/// Add `__object: file` and `__field: path` to every object with a `type` nested in `data`,
/// the values of the file `file`.
pub(crate) fn annotate_json(data: &mut Map<String, Json>, file: &str) {
    fn walk(value: &mut Json, file: &str, path: &str) {
        match value {
            Json::Object(map) => {
                if map.contains_key("type") && !map.contains_key("__path") {
                    map.insert("__object".into(), Json::String(file.into()));
                    map.insert("__field".into(), Json::String(path.into()));
                }
                for (key, child) in map.iter_mut().filter(|(k, _)| !k.starts_with("__")) {
                    walk(child, file, &format!("{path}.{key}"));
                }
            }
            Json::Array(items) => {
                for (i, child) in items.iter_mut().enumerate() {
                    walk(child, file, &format!("{path}.{i}"));
                }
            }
            _ => {}
        }
    }
    for (key, child) in data.iter_mut().filter(|(k, _)| !k.starts_with("__")) {
        walk(child, file, key);
    }
}

/// A string attribute of a template value, if it has one.
fn str_attr(value: &Value, key: &str) -> Option<String> {
    let v = value.get_attr(key).ok()?;
    v.as_str().map(str::to_string)
}

/// The file of a template value and the path of its fields in that file: a file's fields are
/// at its top level, a nested object's under its `__field`.
pub(crate) fn object_of(value: &Value) -> Option<(String, String)> {
    if let Some(file) = str_attr(value, "__path") {
        return Some((file, String::new()));
    }
    Some((str_attr(value, "__object")?, str_attr(value, "__field")?))
}

/// Where `text` is in `obj` (an annotated template value): `(file, path)`, the file being
/// `None` when it is `obj`'s own. Finds string fields only; `__` keys and `type` are skipped.
pub(crate) fn find_field(obj: &Value, text: &str) -> Option<(Option<String>, String)> {
    let (_, prefix) = object_of(obj)?;
    search(obj, text, &prefix, None, 0)
}

fn join(prefix: &str, key: &str) -> String {
    let key = if key == "markdownContent" {
        MARKDOWN_CONTENT
    } else {
        key
    };
    if prefix.is_empty() {
        key.to_string()
    } else {
        format!("{prefix}.{key}")
    }
}

fn search(
    value: &Value,
    text: &str,
    prefix: &str,
    file: Option<&str>,
    depth: usize,
) -> Option<(Option<String>, String)> {
    if depth > MAX_DEPTH {
        return None;
    }
    let visit = |child: Value, path: String| -> Option<(Option<String>, String)> {
        match child.kind() {
            ValueKind::String if child.as_str() == Some(text) => {
                Some((file.map(str::to_string), path))
            }
            ValueKind::Map => match str_attr(&child, "__path") {
                // Another file (a resolved reference): its fields are its own.
                Some(other) => search(&child, text, "", Some(&other), depth + 1),
                None => search(&child, text, &path, file, depth + 1),
            },
            ValueKind::Seq => search(&child, text, &path, file, depth + 1),
            _ => None,
        }
    };
    match value.kind() {
        ValueKind::Map => {
            let keys = value.try_iter().ok()?;
            for key in keys {
                let Some(name) = key.as_str() else { continue };
                if name.starts_with("__") || name == "type" {
                    continue;
                }
                let Ok(child) = value.get_item(&key) else {
                    continue;
                };
                if let Some(found) = visit(child, join(prefix, name)) {
                    return Some(found);
                }
            }
            None
        }
        ValueKind::Seq => {
            let items = value.try_iter().ok()?;
            for (i, child) in items.enumerate() {
                if let Some(found) = visit(child, join(prefix, &i.to_string())) {
                    return Some(found);
                }
            }
            None
        }
        _ => None,
    }
}

/// Mark `html` (already escaped) as the value of field `path` of `file` (`None`: the object
/// the element belongs to); `block` marks HTML that [`finish`] wraps in a `div`.
pub(crate) fn mark(out: &mut String, file: Option<&str>, path: &str, html: &str, block: bool) {
    out.push(if block { START_BLOCK } else { START });
    out.push_str(file.unwrap_or_default());
    out.push(FIELD);
    out.push_str(path);
    out.push(TEXT);
    out.push_str(html);
    out.push(END);
}

/// Add `data-sb-object-id` (and `data-sb-field-path` unless `field` is empty) to the first
/// element of `html`; output with no element is returned as it is.
pub(crate) fn annotate_root(html: &str, file: &str, field: &str) -> String {
    let bytes = html.as_bytes();
    let mut at = 0;
    while let Some(offset) = html[at..].find('<') {
        let start = at + offset;
        let is_element = bytes.get(start + 1).is_some_and(u8::is_ascii_alphabetic);
        if is_element {
            let name_end = html[start + 1..]
                .find(|c: char| !c.is_ascii_alphanumeric() && c != '-')
                .map_or(html.len(), |n| start + 1 + n);
            let mut attrs = format!(" data-sb-object-id=\"{}\"", escape_html(file));
            if !field.is_empty() {
                let _ = write!(attrs, " data-sb-field-path=\"{}\"", escape_html(field));
            }
            let mut out = String::with_capacity(html.len() + attrs.len());
            out.push_str(&html[..name_end]);
            out.push_str(&attrs);
            out.push_str(&html[name_end..]);
            return out;
        }
        at = start + 1;
    }
    html.to_string()
}

/// Elements whose content is raw text, where no `<span>` may go.
const RAW_TEXT: [&str; 5] = ["script", "style", "title", "textarea", "template"];

/// Turn the marks in a rendered document into annotated elements where they stand in element
/// text, and drop them elsewhere (inside tags, raw text and comments).
pub(crate) fn finish(html: &str) -> String {
    let mut out = String::with_capacity(html.len() + html.len() / 8);
    // Where we are: element text, inside a tag (with the open quote), or raw text until `</name`.
    let mut in_tag = false;
    let mut quote: Option<char> = None;
    let mut tag_name = String::new();
    let mut name_done = false;
    let mut raw: Option<String> = None;
    let mut open: Vec<Option<&'static str>> = Vec::new();
    let mut chars = html.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            START | START_BLOCK => {
                let rest = &html[i + c.len_utf8()..];
                let Some(text_at) = rest.find(TEXT) else {
                    continue;
                };
                let header = &rest[..text_at];
                let (file, path) = header.split_once(FIELD).unwrap_or(("", header));
                // Skip the header.
                while chars
                    .peek()
                    .is_some_and(|&(j, _)| j <= i + c.len_utf8() + text_at)
                {
                    chars.next();
                }
                if in_tag || raw.is_some() {
                    open.push(None);
                    continue;
                }
                let element = if c == START_BLOCK { "div" } else { "span" };
                out.push('<');
                out.push_str(element);
                if !file.is_empty() {
                    let _ = write!(out, " data-sb-object-id=\"{}\"", escape_html(file));
                }
                let _ = write!(out, " data-sb-field-path=\"{}\"", escape_html(path));
                if c == START_BLOCK {
                    out.push_str(" style=\"display:contents\"");
                }
                out.push('>');
                open.push(Some(element));
            }
            END => {
                if let Some(Some(element)) = open.pop() {
                    let _ = write!(out, "</{element}>");
                }
            }
            FIELD | TEXT => {}
            _ if in_tag => {
                out.push(c);
                match (quote, c) {
                    (Some(q), _) if c == q => quote = None,
                    (Some(_), _) => {}
                    (None, '"' | '\'') => quote = Some(c),
                    (None, '>') => {
                        in_tag = false;
                        let name = tag_name.to_ascii_lowercase();
                        if RAW_TEXT.contains(&name.as_str()) {
                            raw = Some(format!("</{name}"));
                        }
                    }
                    (None, _) if !name_done => {
                        if c.is_ascii_alphanumeric() || c == '-' {
                            tag_name.push(c);
                        } else {
                            name_done = true;
                        }
                    }
                    _ => {}
                }
            }
            '<' => {
                out.push(c);
                if let Some(end) = &raw {
                    let ahead = html[i..].get(..end.len()).unwrap_or_default();
                    if ahead.eq_ignore_ascii_case(end) {
                        raw = None;
                        in_tag = true;
                        tag_name.clear();
                        name_done = true;
                    }
                    continue;
                }
                let next = html[i + 1..].chars().next();
                if next.is_some_and(|n| n.is_ascii_alphabetic() || n == '/' || n == '!') {
                    in_tag = true;
                    tag_name.clear();
                    name_done = next == Some('/') || next == Some('!');
                    quote = None;
                }
            }
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marked(path: &str, text: &str) -> String {
        let mut out = String::new();
        mark(&mut out, None, path, text, false);
        out
    }

    #[test]
    fn marks_in_element_text_become_spans() {
        let html = format!("<h1 class=\"x\">{}</h1>", marked("title", "Hi &amp; bye"));
        assert_eq!(
            finish(&html),
            "<h1 class=\"x\"><span data-sb-field-path=\"title\">Hi &amp; bye</span></h1>"
        );
    }

    #[test]
    fn marks_inside_attributes_and_raw_text_are_dropped() {
        let html = format!(
            "<img alt=\"{}\"><title>{}</title><script>{}</script><p>{}</p>",
            marked("alt", "A"),
            marked("t", "T"),
            marked("s", "S"),
            marked("p", "P"),
        );
        assert_eq!(
            finish(&html),
            "<img alt=\"A\"><title>T</title><script>S</script>\
             <p><span data-sb-field-path=\"p\">P</span></p>"
        );
    }

    #[test]
    fn root_element_gets_the_object_and_field() {
        assert_eq!(
            annotate_root(
                "\n<section class=\"a\">x</section>",
                "content/pages/a.md",
                "sections.0"
            ),
            "\n<section data-sb-object-id=\"content/pages/a.md\" \
             data-sb-field-path=\"sections.0\" class=\"a\">x</section>"
        );
        assert_eq!(annotate_root("plain text", "f", ""), "plain text");
    }

    #[test]
    fn typed_objects_nested_in_a_file_learn_their_path() {
        let mut data: Map<String, Json> = serde_json::from_str(
            r#"{"title":"T","sections":[{"type":"A","items":[{"type":"B"}]}],"styles":{"x":1}}"#,
        )
        .unwrap_or_default();
        annotate_json(&mut data, "f.md");
        assert_eq!(data["sections"][0]["__field"], "sections.0");
        assert_eq!(
            data["sections"][0]["items"][0]["__field"],
            "sections.0.items.0"
        );
        assert_eq!(data["sections"][0]["__object"], "f.md");
        assert!(data["styles"].get("__field").is_none());
    }
}
