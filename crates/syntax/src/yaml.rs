//! YAML → located tree. The one place folio reads YAML (front matter, `.yaml` data files and
//! site model files), on top of granit-parser's event stream, which gives exact byte spans.
//!
//! Scalars resolve by the YAML 1.2 core schema (what js-yaml, the starter's parser, does):
//! plain `true`/`null`/`12`/`1.5` become booleans, nulls and numbers; quoted scalars are strings.
//! Aliases are expanded here, within [`limits::MAX_ALIAS_NODES`], so an alias bomb is an error,
//! not an out-of-memory; nesting deeper than [`limits::MAX_DEPTH`] is refused by the parser.

use crate::tree::{limits, Entry, Node, Number, ParseError, Style, Value};
use folio_diag::Span;
use granit_parser::{Event, Parser, ScalarStyle, ScanError};
use std::collections::HashMap;

/// Parse `text` (which starts at byte `offset` of its file) into a located tree. An empty
/// document yields a `Null` node.
pub fn parse_yaml(text: &str, offset: usize) -> Result<Node, ParseError> {
    let options = granit_parser::options! {
        block_nesting_limit: limits::MAX_DEPTH,
        flow_nesting_limit: limits::MAX_DEPTH,
    };
    let mut builder = Builder {
        stack: Vec::new(),
        anchors: HashMap::new(),
        alias_nodes: 0,
        root: None,
        documents: 0,
    };
    for item in Parser::new_from_str_with_options(text, options) {
        let (event, span) = item.map_err(|e| scan_error(text, offset, &e))?;
        let start = byte_offset(text, &span.start);
        let end = byte_offset(text, &span.end);
        builder.on_event(event, Span::new(start + offset, end + offset))?;
    }
    Ok(builder
        .root
        .unwrap_or_else(|| Node::new(Span::point(offset), Value::Null)))
}

fn byte_offset(text: &str, marker: &granit_parser::Marker) -> usize {
    marker.byte_offset().unwrap_or_else(|| {
        text.char_indices()
            .nth(marker.index())
            .map_or(text.len(), |(i, _)| i)
    })
}

fn scan_error(text: &str, offset: usize, error: &ScanError) -> ParseError {
    let at = byte_offset(text, error.marker()) + offset;
    let info = error.info();
    let code = if info.contains("nesting") || info.contains("recursion") {
        "yaml/too-deep"
    } else {
        "yaml/syntax"
    };
    ParseError {
        code,
        message: format!("invalid YAML: {info}"),
        span: Span::new(at, at + 1),
    }
}

fn collection_style(form: granit_parser::StructureStyle) -> Style {
    match form {
        granit_parser::StructureStyle::Flow => Style::Flow,
        granit_parser::StructureStyle::Block => Style::Block,
    }
}

enum Frame {
    List {
        start: usize,
        anchor: usize,
        style: Style,
        items: Vec<Node>,
    },
    Map {
        start: usize,
        anchor: usize,
        style: Style,
        entries: Vec<Entry>,
        key: Option<(String, Span)>,
    },
}

struct Builder {
    stack: Vec<Frame>,
    anchors: HashMap<usize, (Node, usize)>,
    alias_nodes: usize,
    root: Option<Node>,
    documents: usize,
}

impl Builder {
    fn on_event(&mut self, event: Event<'_>, span: Span) -> Result<(), ParseError> {
        match event {
            Event::DocumentStart(..) => {
                self.documents += 1;
                if self.documents > 1 {
                    return Err(ParseError {
                        code: "yaml/multiple-documents",
                        message: "more than one YAML document in one file".into(),
                        span: Span::new(span.start, span.start + 3),
                    });
                }
            }
            Event::Scalar(text, style, anchor, tag) => {
                let core = tag
                    .as_ref()
                    .and_then(|t| t.core_suffix().map(str::to_owned));
                let value = resolve_scalar(&text, style, core.as_deref());
                let style = match style {
                    ScalarStyle::Plain => Style::Plain,
                    ScalarStyle::SingleQuoted => Style::SingleQuoted,
                    ScalarStyle::DoubleQuoted => Style::DoubleQuoted,
                    ScalarStyle::Literal => Style::Literal,
                    ScalarStyle::Folded => Style::Folded,
                };
                self.complete(Node::new(span, value).with_style(style), anchor)?;
            }
            Event::SequenceStart(form, anchor, _) => self.stack.push(Frame::List {
                start: span.start,
                anchor,
                style: collection_style(form),
                items: Vec::new(),
            }),
            Event::MappingStart(form, anchor, _) => self.stack.push(Frame::Map {
                start: span.start,
                anchor,
                style: collection_style(form),
                entries: Vec::new(),
                key: None,
            }),
            Event::SequenceEnd | Event::MappingEnd => {
                let Some(frame) = self.stack.pop() else {
                    return Ok(());
                };
                let (node, anchor) = match frame {
                    Frame::List {
                        start,
                        anchor,
                        style,
                        items,
                    } => {
                        let end = items.last().map_or(span.end, |n| n.span.end).max(start);
                        let end = if style == Style::Flow { span.end } else { end };
                        let node = Node::new(Span::new(start, end), Value::List(items));
                        (node.with_style(style), anchor)
                    }
                    Frame::Map {
                        start,
                        anchor,
                        style,
                        entries,
                        ..
                    } => {
                        let end = entries
                            .last()
                            .map_or(span.end, |e| e.value.span.end)
                            .max(start);
                        let end = if style == Style::Flow { span.end } else { end };
                        let entries = apply_merge_keys(entries);
                        let node = Node::new(Span::new(start, end), Value::Map(entries));
                        (node.with_style(style), anchor)
                    }
                };
                self.complete(node, anchor)?;
            }
            Event::Alias(id) => {
                let Some((node, size)) = self.anchors.get(&id) else {
                    return Err(self.error(
                        "yaml/unknown-anchor",
                        "alias to an unknown anchor",
                        span,
                    ));
                };
                self.alias_nodes += size;
                if self.alias_nodes > limits::MAX_ALIAS_NODES {
                    return Err(self.error(
                        "yaml/alias-limit",
                        &format!(
                            "YAML aliases expand to more than {} values (an alias bomb?)",
                            limits::MAX_ALIAS_NODES
                        ),
                        span,
                    ));
                }
                let mut node = node.clone();
                node.span = span;
                node.style = Style::Alias;
                self.complete(node, 0)?;
            }
            _ => {}
        }
        Ok(())
    }

    fn error(&self, code: &'static str, message: &str, span: Span) -> ParseError {
        ParseError {
            code,
            message: message.to_string(),
            span,
        }
    }

    fn complete(&mut self, mut node: Node, anchor: usize) -> Result<(), ParseError> {
        if anchor != 0 {
            node.style = Style::Anchored;
            let size = count_nodes(&node);
            self.anchors.insert(anchor, (node.clone(), size));
        }
        match self.stack.last_mut() {
            None => self.root = Some(node),
            Some(Frame::List { items, .. }) => items.push(node),
            Some(Frame::Map { entries, key, .. }) => match key.take() {
                None => {
                    let text = match node.value {
                        Value::String(s) => s,
                        Value::Null => String::new(),
                        Value::Bool(b) => b.to_string(),
                        Value::Number(n) => n.text,
                        Value::List(_) | Value::Map(_) => {
                            return Err(ParseError {
                                code: "yaml/complex-key",
                                message: "a list or mapping used as a key is not supported".into(),
                                span: node.span,
                            })
                        }
                    };
                    *key = Some((text, node.span));
                }
                Some((key_text, key_span)) => {
                    if let Some(previous) =
                        entries.iter().find(|e| e.key == key_text && e.key != "<<")
                    {
                        let _ = previous;
                        return Err(ParseError {
                            code: "yaml/duplicate-key",
                            message: format!("duplicate key `{key_text}`"),
                            span: key_span,
                        });
                    }
                    entries.push(Entry {
                        key: key_text,
                        key_span,
                        value: node,
                    });
                }
            },
        }
        Ok(())
    }
}

fn count_nodes(node: &Node) -> usize {
    1 + match &node.value {
        Value::List(items) => items.iter().map(count_nodes).sum(),
        Value::Map(entries) => entries.iter().map(|e| count_nodes(&e.value)).sum(),
        _ => 0,
    }
}

/// YAML 1.1 merge keys (`<<: *base`), still common in hand-written files: the merged mapping's
/// keys are added where the mapping does not set them itself.
fn apply_merge_keys(entries: Vec<Entry>) -> Vec<Entry> {
    if !entries.iter().any(|e| e.key == "<<") {
        return entries;
    }
    let (merges, mut own): (Vec<Entry>, Vec<Entry>) =
        entries.into_iter().partition(|e| e.key == "<<");
    for merge in merges {
        let sources = match merge.value.value {
            Value::Map(entries) => vec![entries],
            Value::List(items) => items
                .into_iter()
                .filter_map(|n| match n.value {
                    Value::Map(entries) => Some(entries),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        };
        for entry in sources.into_iter().flatten() {
            if !own.iter().any(|e| e.key == entry.key) {
                own.push(entry);
            }
        }
    }
    own
}

/// Resolve a scalar by the YAML 1.2 core schema.
fn resolve_scalar(text: &str, style: ScalarStyle, core_tag: Option<&str>) -> Value {
    let plain = style == ScalarStyle::Plain;
    match core_tag {
        Some("str") => return Value::String(text.to_string()),
        Some("null") => return Value::Null,
        Some(_) => {}
        None if !plain => return Value::String(text.to_string()),
        None => {}
    }
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        _ => {}
    }
    if let Some(value) = parse_number(text) {
        return Value::Number(Number {
            text: text.to_string(),
            value,
        });
    }
    Value::String(text.to_string())
}

fn parse_number(text: &str) -> Option<f64> {
    let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
    let negative = text.starts_with('-');
    let sign = if negative { -1.0 } else { 1.0 };
    if let Some(hex) = text.strip_prefix("0x") {
        return u64::from_str_radix(hex, 16).ok().map(|n| n as f64);
    }
    if let Some(oct) = text.strip_prefix("0o") {
        return u64::from_str_radix(oct, 8).ok().map(|n| n as f64);
    }
    match unsigned {
        ".inf" | ".Inf" | ".INF" => return Some(sign * f64::INFINITY),
        ".nan" | ".NaN" | ".NAN" if text == unsigned => return Some(f64::NAN),
        _ => {}
    }
    let bytes = unsigned.as_bytes();
    let first_ok = bytes
        .first()
        .is_some_and(|b| b.is_ascii_digit() || *b == b'.');
    let chars_ok = unsigned
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'-' | b'+'));
    let has_digit = unsigned.bytes().any(|b| b.is_ascii_digit());
    if !(first_ok && chars_ok && has_digit) {
        return None;
    }
    text.parse::<f64>().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Node {
        parse_yaml(text, 0).expect("valid YAML")
    }

    #[test]
    fn spans_cover_keys_and_values_in_file_coordinates() {
        let text = "title: Hello\nlist:\n  - a\n  - 'b'\n";
        let node = parse_yaml(text, 100).expect("valid");
        let title = node.get("title").expect("has title");
        assert_eq!(title.key_span, Span::new(100, 105));
        assert_eq!(title.value.span, Span::new(107, 112));
        assert_eq!(
            &text[title.value.span.start - 100..title.value.span.end - 100],
            "Hello"
        );
        let list = node.get("list").expect("has list");
        let Value::List(items) = &list.value.value else {
            panic!("a list")
        };
        assert_eq!(
            &text[items[1].span.start - 100..items[1].span.end - 100],
            "'b'"
        );
    }

    #[test]
    fn resolves_scalars_by_the_core_schema() {
        let node = parse("a: true\nb: '12'\nc: 12\nd:\ne: 2021-11-03\nf: 1.5e3\ng: yes\n");
        let v = |k: &str| node.get(k).map(|e| e.value.value.clone()).expect("present");
        assert_eq!(v("a"), Value::Bool(true));
        assert_eq!(v("b"), Value::String("12".into()));
        assert!(matches!(v("c"), Value::Number(n) if n.value == 12.0));
        assert_eq!(v("d"), Value::Null);
        assert_eq!(v("e"), Value::String("2021-11-03".into()));
        assert!(matches!(v("f"), Value::Number(n) if n.value == 1500.0));
        assert_eq!(v("g"), Value::String("yes".into()));
    }

    #[test]
    fn refuses_an_alias_bomb() {
        let mut text = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..9 {
            let prev = (b'a' + i - 1) as char;
            let cur = (b'a' + i) as char;
            text.push_str(&format!(
                "{cur}: &{cur} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"
            ));
        }
        let err = parse_yaml(&text, 0).expect_err("refused");
        assert_eq!(err.code, "yaml/alias-limit");
    }

    #[test]
    fn refuses_deep_nesting_without_overflowing_the_stack() {
        let text = "[".repeat(20_000);
        assert!(parse_yaml(&text, 0).is_err());
        let block: String = (0..20_000)
            .map(|i| format!("{}- \n", " ".repeat(i % 50)))
            .collect();
        let _ = parse_yaml(&block, 0);
    }

    #[test]
    fn reports_duplicate_keys_and_syntax_errors_at_their_position() {
        let err = parse_yaml("a: 1\na: 2\n", 0).expect_err("duplicate");
        assert_eq!(err.code, "yaml/duplicate-key");
        assert_eq!(err.span.start, 5);
        let err = parse_yaml("a: [1, 2\nb: c\n", 0).expect_err("unclosed");
        assert_eq!(err.code, "yaml/syntax");
    }

    #[test]
    fn records_how_each_value_is_written() {
        let text =
            "a: x\nb: 'x'\nc: \"x\"\nd: |\n  x\ne: >-\n  x\nf: [x]\ng:\n  - x\nh: &h x\ni: *h\n";
        let node = parse(text);
        let style = |k: &str| node.get(k).expect("present").value.style;
        assert_eq!(style("a"), Style::Plain);
        assert_eq!(style("b"), Style::SingleQuoted);
        assert_eq!(style("c"), Style::DoubleQuoted);
        assert_eq!(style("d"), Style::Literal);
        assert_eq!(style("e"), Style::Folded);
        assert_eq!(style("f"), Style::Flow);
        assert_eq!(style("g"), Style::Block);
        assert_eq!(style("h"), Style::Anchored);
        assert_eq!(style("i"), Style::Alias);
        let f = &node.get("f").expect("present").value;
        assert_eq!(&text[f.span.start..f.span.end], "[x]");
    }

    #[test]
    fn merge_keys_fill_in_missing_entries() {
        let node = parse("base: &b {x: 1, y: 2}\nthing:\n  <<: *b\n  y: 3\n");
        let thing = &node.get("thing").expect("present").value;
        assert!(thing.get("x").is_some());
        assert!(
            matches!(&thing.get("y").expect("y").value.value, Value::Number(n) if n.value == 3.0)
        );
    }
}
