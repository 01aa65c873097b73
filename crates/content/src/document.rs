//! One content file, from bytes to a validated object: decode, split front matter, parse into
//! a located tree, find the model, validate.

use crate::date::ContentDate;
use crate::front_matter::{split_front_matter, SplitError};
use crate::json::parse_json;
use crate::links::markdown_urls;
use crate::site::{ContentObject, FileKind};
use crate::source::decode_text;
use crate::tree::{Node, ParseError};
use crate::validate::{ReferenceUse, TypeCheck, UrlUse, ValidationContext, Validator};
use crate::values::to_json;
use crate::yaml::parse_yaml;
use folio_diag::{Diagnostic, Severity, Span};
use folio_model::ModelKind;
use std::sync::Arc;

/// Everything learnt from one file (cheap to clone: the text and object are shared).
#[derive(Debug, Clone)]
pub struct FileResult {
    /// Site-relative path.
    pub path: String,
    /// The text (lossily decoded when it was not UTF-8, for diagnostics).
    pub text: Arc<str>,
    /// The validated object, when the file is usable.
    pub object: Option<Arc<ContentObject>>,
    /// Problems found.
    pub diagnostics: Vec<Diagnostic>,
    /// References to other files, checked by the resolver. (Shared: every rebuild hands the
    /// cached results of unchanged files to the resolver again.)
    pub references: Arc<[ReferenceUse]>,
    /// URLs that may point inside the site (images, links), checked by [`crate::links`].
    pub urls: Arc<[UrlUse]>,
    /// A [`crate::fingerprint`] of the file's bytes: equal versions mean equal content.
    pub version: u64,
}

/// A file decoded and parsed into a located tree, ready for validation.
#[derive(Debug)]
pub struct ParsedFile {
    path: String,
    kind: FileKind,
    text: Arc<str>,
    root: Node,
    body: Option<Span>,
    version: u64,
    /// What reading the text found (NUL bytes, a JSON byte-order mark).
    notes: Vec<Diagnostic>,
}

/// Decode, parse and validate the file at `path` of the given kind.
pub fn process_file(
    ctx: &ValidationContext<'_>,
    path: &str,
    kind: FileKind,
    bytes: Vec<u8>,
) -> FileResult {
    match parse_file(path, kind, bytes) {
        Ok(parsed) => validate_file(ctx, parsed),
        Err(failed) => failed,
    }
}

/// Decode the file and parse its front matter or data; `Err` is the finished result of a file
/// that cannot be parsed (with its diagnostic).
pub fn parse_file(path: &str, kind: FileKind, bytes: Vec<u8>) -> Result<ParsedFile, FileResult> {
    let version = crate::fingerprint(&bytes);
    let mut notes = Vec::new();
    let text: Arc<str> = match decode_text(path, bytes, Severity::Error, "content/invalid-utf8") {
        (text, None) => Arc::from(readable(path, kind, text, &mut notes)),
        (text, Some(d)) => {
            let d = d.with_help("save the file as UTF-8; binary files belong in `public/`");
            return Err(failed(path, Arc::from(text), d, version));
        }
    };
    if text.trim().is_empty() {
        let d = Diagnostic::warning(
            "content/empty-file",
            format!("`{path}` is empty and is skipped"),
        )
        .in_file(path)
        .with_help(match kind {
            FileKind::Page => "give it front matter with a `type`, or delete it",
            FileKind::Data => "give it a JSON object with a `type`, or delete it",
        });
        return Err(failed(path, text, d, version));
    }
    let parsed = match kind {
        FileKind::Page => parse_page(path, &text),
        FileKind::Data if path.ends_with(".json") => parse_json(&text)
            .map(|n| (n, None))
            .map_err(|e| parse_diagnostic(path, e)),
        FileKind::Data => {
            let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
            parse_yaml(&text[start..], start)
                .map(|n| (n, None))
                .map_err(|e| parse_diagnostic(path, e))
        }
    };
    match parsed {
        Ok((root, body)) => Ok(ParsedFile {
            path: path.to_string(),
            kind,
            text,
            root,
            body,
            version,
            notes,
        }),
        Err(d) => {
            let mut result = failed(path, text, d, version);
            result.diagnostics.extend(notes);
            Err(result)
        }
    }
}

/// The text of a content file as the parsers read it, with what the original's reader
/// accepts and they do not replaced byte for byte, so that every offset still points at the
/// file's own bytes:
/// - a line break written as a lone CR (classic Mac OS) becomes LF;
/// - a NUL byte becomes a space, with a warning (it must not reach the HTML);
/// - a JSON file's byte-order mark becomes three spaces, with a warning (Node's `JSON.parse`
///   rejects it, so the original's build fails on it).
fn readable(path: &str, kind: FileKind, text: String, notes: &mut Vec<Diagnostic>) -> String {
    let bytes = text.as_bytes();
    let has_lone_cr = text.contains('\r')
        && (0..bytes.len()).any(|at| bytes[at] == b'\r' && bytes.get(at + 1) != Some(&b'\n'));
    let first_nul = text.find('\0');
    let json_bom =
        kind == FileKind::Data && path.ends_with(".json") && text.starts_with('\u{feff}');
    if !has_lone_cr && first_nul.is_none() && !json_bom {
        return text;
    }
    if let Some(at) = first_nul {
        let count = text.bytes().filter(|&b| b == 0).count();
        notes.push(
            Diagnostic::warning(
                "content/nul-byte",
                format!("`{path}` holds {count} NUL byte(s), read as spaces"),
            )
            .in_file(path)
            .at(Span::new(at, at + 1))
            .with_label("a NUL byte")
            .with_help("NUL is not text; remove it (an editor may show it as `^@` or `\\0`)"),
        );
    }
    if json_bom {
        notes.push(
            Diagnostic::warning(
                "content/json-bom",
                format!("`{path}` starts with a byte-order mark; folio reads it, the original theme's build fails on it"),
            )
            .in_file(path)
            .at(Span::new(0, 3))
            .with_help("save the file as UTF-8 without BOM"),
        );
    }
    let mut bytes = text.into_bytes();
    if json_bom {
        bytes[..3].copy_from_slice(b"   ");
    }
    for at in 0..bytes.len() {
        match bytes[at] {
            0 => bytes[at] = b' ',
            b'\r' if bytes.get(at + 1) != Some(&b'\n') => bytes[at] = b'\n',
            _ => {}
        }
    }
    // ASCII bytes were replaced by ASCII bytes, and a whole BOM by three: still UTF-8.
    String::from_utf8(bytes).unwrap_or_default()
}

/// Validate a parsed file against its model.
pub fn validate_file(ctx: &ValidationContext<'_>, parsed: ParsedFile) -> FileResult {
    let ParsedFile {
        path,
        kind,
        text,
        root,
        body,
        version,
        notes,
    } = parsed;
    let mut validator = Validator::new(ctx, &path);
    validator.diagnostics.extend(notes);
    let object = validate_root(
        &mut validator,
        ctx,
        &path,
        kind,
        &root,
        body.map(|b| Arc::from(&text[b.start..b.end])),
    );
    if let (Some(object), Some(span)) = (&object, body) {
        if let Some(d) = unshown_body(ctx, object, &text, span) {
            validator.diagnostics.push(d);
        }
    }
    let mut urls = std::mem::take(&mut validator.urls);
    for (markdown, span) in std::mem::take(&mut validator.markdown) {
        urls.extend(locate_in_value(&text, &markdown, span));
    }
    if let (Some(object), Some(body)) = (&object, body) {
        let source = &text[body.start..body.end];
        if object.body.as_deref() == Some(source) {
            urls.extend(markdown_urls(source, body.start, None));
        }
    }
    FileResult {
        object: object.map(Arc::new),
        text,
        diagnostics: validator.diagnostics,
        references: validator.references.into(),
        urls: urls.into(),
        path,
        version,
    }
}

/// The URLs of a Markdown field whose value `markdown` is written at `span` of `text`: at their
/// exact bytes when the file holds the value verbatim (a one-line value), else where each URL
/// is next written inside the value (a block scalar, whose indentation the value lost), else at
/// the start of the value.
fn locate_in_value(text: &str, markdown: &str, span: Span) -> Vec<UrlUse> {
    let written = text.get(span.start..span.end).unwrap_or_default();
    if written == markdown {
        return markdown_urls(markdown, span.start, None);
    }
    let mut cursor = 0;
    let mut urls = markdown_urls(markdown, 0, None);
    for url in &mut urls {
        match written[cursor..]
            .find(url.url.as_str())
            .filter(|_| !url.url.is_empty())
        {
            Some(at) => {
                let start = span.start + cursor + at;
                url.span = Span::new(start, start + url.url.len());
                cursor += at + url.url.len();
            }
            None => url.span = Span::point(span.start),
        }
    }
    urls
}

fn failed(path: &str, text: Arc<str>, diagnostic: Diagnostic, version: u64) -> FileResult {
    FileResult {
        path: path.to_string(),
        text,
        object: None,
        diagnostics: vec![diagnostic],
        references: Arc::from([]),
        urls: Arc::from([]),
        version,
    }
}

fn parse_diagnostic(path: &str, e: ParseError) -> Diagnostic {
    let help = parse_help(&e);
    let d = Diagnostic::error(e.code, e.message)
        .in_file(path)
        .at(e.span)
        .with_label("here");
    match help {
        Some(help) => d.with_help(help),
        None => d,
    }
}

/// How to fix a syntax error, for the mistakes real sites make.
fn parse_help(e: &ParseError) -> Option<&'static str> {
    let message = e.message.as_str();
    Some(match e.code {
        "json/syntax" if message.contains("line break") => {
            "write a line break inside a JSON string as `\\n`"
        }
        "json/syntax" => "folio reads strict JSON, as the original does: no comments, trailing commas or single quotes",
        "yaml/syntax" if message.contains("after single-quoted scalar") => {
            "a `'` inside a single-quoted value ends it: double it (`'Father''s day'`) or use double quotes (`\"Father's day\"`)"
        }
        "yaml/syntax" if message.contains("after double-quoted scalar") => {
            "a `\"` inside a double-quoted value ends it: write it as `\\\"` or use single quotes"
        }
        "yaml/syntax" => {
            "quote values that contain `: ` or ` #`, or start with `[`, `{`, `*`, `&` or `!`"
        }
        _ => return None,
    })
}

/// Where the field at the dotted `field_path` (`sections.2.items.0`) of the content file
/// `path` is written in `text`: the key of a mapping entry, the item of a list, the whole
/// front matter or document for an empty path; `None` when the file does not parse or has no
/// such field.
pub fn field_span(path: &str, text: &str, field_path: &str) -> Option<Span> {
    let root = if path.ends_with(".json") {
        parse_json(text.strip_prefix('\u{feff}').unwrap_or(text)).ok()?
    } else {
        let parts = split_front_matter(text).ok()?;
        parse_yaml(&text[parts.yaml.start..parts.yaml.end], parts.yaml.start).ok()?
    };
    let mut node = &root;
    let mut span = root.span;
    for part in field_path.split('.').filter(|p| !p.is_empty()) {
        match &node.value {
            crate::tree::Value::Map(entries) => {
                let entry = entries.iter().find(|e| e.key == part)?;
                span = entry.key_span;
                node = &entry.value;
            }
            crate::tree::Value::List(items) => {
                node = items.get(part.parse::<usize>().ok()?)?;
                span = node.span;
            }
            _ => return None,
        }
    }
    Some(span)
}

fn parse_page(path: &str, text: &str) -> Result<(Node, Option<Span>), Diagnostic> {
    let parts = split_front_matter(text).map_err(|e| match e {
        SplitError::NoFrontMatter => Diagnostic::warning(
            "content/no-front-matter",
            format!("`{path}` has no front matter and is skipped"),
        )
        .in_file(path)
        .at(Span::new(0, text.find('\n').unwrap_or(text.len()).min(80)))
        .with_label("expected `---` on the first line")
        .with_help(
            "start the file with `---`, a line `type: PageLayout` (or another layout), and `---`",
        ),
        SplitError::Unclosed(span) => Diagnostic::error(
            "content/unclosed-front-matter",
            format!("the front matter of `{path}` is never closed"),
        )
        .in_file(path)
        .at(span)
        .with_label("opened here")
        .with_help("end the front matter with a line containing only `---`"),
    })?;
    let yaml = &text[parts.yaml.start..parts.yaml.end];
    let node = parse_yaml(yaml, parts.yaml.start).map_err(|e| parse_diagnostic(path, e))?;
    Ok((node, Some(parts.body)))
}

fn validate_root(
    v: &mut Validator<'_>,
    ctx: &ValidationContext<'_>,
    path: &str,
    kind: FileKind,
    root: &Node,
    body: Option<Arc<str>>,
) -> Option<ContentObject> {
    if root.as_map().is_none() {
        let what = if kind == FileKind::Page {
            "front matter"
        } else {
            "data file"
        };
        v.diagnostics.push(
            Diagnostic::error(
                "content/not-a-mapping",
                format!("the {what} of `{path}` must be a mapping of fields"),
            )
            .in_file(path)
            .at(root.span)
            .with_label(format!("this is {}", root.kind_name()))
            .with_help("write `key: value` lines, starting with `type: <Model>`"),
        );
        return None;
    }
    let type_entry = root.get("type");
    let layout_entry = root.get("layout").filter(|_| kind == FileKind::Page);
    let legacy = type_entry.is_none() && layout_entry.is_some();
    v.legacy = legacy;
    let named = type_entry.or(layout_entry);
    let allowed: Vec<String> = ctx
        .registry
        .models()
        .filter(|m| match kind {
            FileKind::Page => m.kind == ModelKind::Page,
            FileKind::Data => m.kind != ModelKind::Page,
        })
        .map(|m| m.name.clone())
        .collect();
    let (check, type_span) = match named {
        Some(entry) => match entry.value.as_str() {
            Some(name) => (
                v.check_type(name, entry.value.span, &allowed, "this file"),
                entry.value.span,
            ),
            None => {
                v.diagnostics.push(
                    Diagnostic::error(
                        "content/wrong-type",
                        format!("`{}` must be a model name", entry.key),
                    )
                    .in_file(path)
                    .at(entry.value.span),
                );
                return None;
            }
        },
        None => match inferred_data_model(path, kind) {
            Some(name) => match ctx.registry.get(name) {
                Some(model) => (TypeCheck::Model(model), Span::point(root.span.start)),
                None => return None,
            },
            None if kind == FileKind::Data => {
                // Untyped data files are plain data: usable through references, not validated.
                return Some(object(
                    path,
                    kind,
                    None,
                    to_json_map(root),
                    None,
                    Span::point(root.span.start),
                    false,
                ));
            }
            None => {
                v.diagnostics.push(
                    Diagnostic::warning("content/missing-type", format!("`{path}` has no `type` and is skipped"))
                        .in_file(path)
                        .at(Span::point(root.span.start))
                        .with_label("no `type:` in this front matter")
                        .with_help("add `type: PageLayout` (or PostLayout, PostFeedLayout, ProjectLayout, ProjectFeedLayout)"),
                );
                return None;
            }
        },
    };
    match check {
        TypeCheck::Model(model) => {
            let data = v.object(root, model, "", type_span, &["layout"]);
            let body = if model.has_markdown_body {
                let front = ["markdownContent", "markdown_content"]
                    .iter()
                    .find_map(|k| data.get(*k).and_then(|b| b.as_str()).map(Arc::from));
                body.filter(|b| !b.trim().is_empty()).or(front)
            } else {
                None
            };
            Some(object(
                path,
                kind,
                Some(model.name.clone()),
                data,
                body,
                type_span,
                legacy,
            ))
        }
        TypeCheck::Custom(name) => {
            let mut data = to_json_map(root);
            data.insert("type".into(), serde_json::Value::String(name.clone()));
            Some(object(
                path,
                kind,
                Some(name),
                data,
                body,
                type_span,
                legacy,
            ))
        }
        TypeCheck::Skip => None,
    }
}

/// A warning for a Markdown body that the page's model does not show (a `PageLayout` draws its
/// sections only, in the original as in folio), at the body's first line; `None` when the
/// model shows its body or the body is blank.
fn unshown_body(
    ctx: &ValidationContext<'_>,
    object: &ContentObject,
    text: &str,
    body: Span,
) -> Option<Diagnostic> {
    let model = ctx.registry.get(object.model.as_deref()?)?;
    let source = &text[body.start..body.end];
    if model.has_markdown_body || source.trim().is_empty() {
        return None;
    }
    let start = body.start + (source.len() - source.trim_start().len());
    let line_end = text[start..].find('\n').map_or(body.end, |e| start + e);
    let name = &model.name;
    Some(
        Diagnostic::warning(
            "content/body-not-shown",
            format!(
                "`{}` has a Markdown body, but a `{name}` page does not show one",
                object.path
            ),
        )
        .in_file(object.path.clone())
        .at(Span::new(start, line_end))
        .with_label("this text is not on the page")
        .with_help(format!(
            "the theme's `{name}` draws its sections only, as the original does: move the text \
             into a section (a `TextSection`'s `text` is Markdown)"
        )),
    )
}

/// The model of a data file that does not name one, by its well-known path.
fn inferred_data_model(path: &str, kind: FileKind) -> Option<&'static str> {
    match (kind, path) {
        (FileKind::Data, "content/data/config.json") => Some("Config"),
        (FileKind::Data, "content/data/style.json") => Some("ThemeStyle"),
        _ => None,
    }
}

fn to_json_map(node: &Node) -> serde_json::Map<String, serde_json::Value> {
    match to_json(node) {
        serde_json::Value::Object(map) => map,
        _ => serde_json::Map::new(),
    }
}

fn object(
    path: &str,
    file_kind: FileKind,
    model: Option<String>,
    data: serde_json::Map<String, serde_json::Value>,
    body: Option<Arc<str>>,
    type_span: Span,
    legacy: bool,
) -> ContentObject {
    let date = data
        .get("date")
        .and_then(|d| d.as_str())
        .and_then(ContentDate::parse);
    ContentObject {
        path: path.to_string(),
        file_kind,
        model,
        data,
        body,
        type_span,
        legacy,
        date,
        page_url: crate::url::url_for_page(path, legacy),
    }
}

#[cfg(test)]
mod field_span_tests {
    use super::field_span;

    #[test]
    fn finds_keys_and_items_in_front_matter_and_json() {
        let md = "---\ntype: PageLayout\nsections:\n  - type: A\n  - type: B\n    items:\n      - title: x\n---\nBody\n";
        let at = |path: &str| field_span("p.md", md, path).map(|s| &md[s.start..s.end]);
        assert_eq!(at("sections"), Some("sections"));
        assert!(at("sections.1").is_some_and(|s| s.starts_with("type: B")));
        assert_eq!(at("sections.1.items.0"), Some("title: x"));
        assert_eq!(at("sections.7"), None);
        let json = "{\"footer\": {\"contacts\": {\"type\": \"ContactBlock\"}}}";
        let span = field_span("c.json", json, "footer.contacts").expect("found");
        assert_eq!(&json[span.start..span.end], "\"contacts\"");
    }
}
