//! JSON → located tree, with jsonc-parser's ranges. Parsing is strict, as `JSON.parse` is in
//! the original starter: no comments, trailing commas or single quotes.

use crate::tree::{limits, Entry, Node, Number, ParseError, Style, Value};
use folio_diag::Span;
use jsonc_parser::ast;
use jsonc_parser::{CollectOptions, ParseOptions};

/// Parse `text` (the whole file) into a located tree.
pub fn parse_json(text: &str) -> Result<Node, ParseError> {
    if let Some(at) = raw_control_in_string(text) {
        let what = if text.as_bytes()[at] == b'\t' {
            "a tab"
        } else {
            "a line break"
        };
        return Err(ParseError {
            code: "json/syntax",
            message: format!(
                "invalid JSON: this string contains {what}, which JSON does not allow"
            ),
            // At the end of the line where the string breaks (the break itself is invisible).
            span: Span::point(at),
        });
    }
    let options = ParseOptions {
        allow_comments: false,
        allow_loose_object_property_names: false,
        allow_trailing_commas: false,
        allow_missing_commas: false,
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        allow_bare_decimal_point_numbers: false,
        allow_non_finite_numbers: false,
        allow_extended_string_escapes: false,
    };
    let parsed =
        jsonc_parser::parse_to_ast(text, &CollectOptions::default(), &options).map_err(|e| {
            let range = e.range();
            ParseError {
                code: "json/syntax",
                message: format!("invalid JSON: {}", lowercase_first(&e.kind().to_string())),
                span: Span::new(
                    range.start,
                    range.end.max(range.start + 1).min(text.len().max(1)),
                ),
            }
        })?;
    match parsed.value {
        Some(value) => convert(&value, 0),
        None => Ok(Node::new(Span::point(0), Value::Null)),
    }
}

/// The first raw control character (a line break, a tab) inside a string: `JSON.parse`, which
/// the original reads data files with, refuses it, and jsonc-parser would not say so where the
/// string breaks.
fn raw_control_in_string(text: &str) -> Option<usize> {
    let (mut in_string, mut escaped) = (false, false);
    for (i, b) in text.bytes().enumerate() {
        match (in_string, escaped, b) {
            (true, true, _) => escaped = false,
            (true, false, b'\\') => escaped = true,
            (true, false, b'"') => in_string = false,
            (true, false, b) if b < 0x20 => return Some(i),
            (false, _, b'"') => in_string = true,
            _ => {}
        }
    }
    None
}

/// jsonc-parser's messages start with a capital; folio's are lowercase.
fn lowercase_first(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map_or_else(String::new, |c| c.to_lowercase().chain(chars).collect())
}

fn span(range: jsonc_parser::common::Range) -> Span {
    Span::new(range.start, range.end)
}

fn convert(value: &ast::Value<'_>, depth: usize) -> Result<Node, ParseError> {
    if depth > limits::MAX_DEPTH {
        return Err(ParseError {
            code: "json/too-deep",
            message: format!("JSON nested more than {} levels deep", limits::MAX_DEPTH),
            span: span(value_range(value)),
        });
    }
    Ok(match value {
        ast::Value::StringLit(s) => Node::new(span(s.range), Value::String(s.value.to_string()))
            .with_style(Style::DoubleQuoted),
        ast::Value::NumberLit(n) => Node::new(
            span(n.range),
            Value::Number(Number {
                text: n.value.to_string(),
                value: n.value.parse().unwrap_or(f64::NAN),
            }),
        ),
        ast::Value::BooleanLit(b) => Node::new(span(b.range), Value::Bool(b.value)),
        ast::Value::NullKeyword(n) => Node::new(span(n.range), Value::Null),
        ast::Value::Array(a) => {
            let items = a
                .elements
                .iter()
                .map(|v| convert(v, depth + 1))
                .collect::<Result<_, _>>()?;
            Node::new(span(a.range), Value::List(items)).with_style(Style::Flow)
        }
        ast::Value::Object(o) => {
            let mut entries: Vec<Entry> = Vec::with_capacity(o.properties.len());
            for prop in &o.properties {
                let (key, key_range) = match &prop.name {
                    ast::ObjectPropName::String(s) => (s.value.to_string(), s.range),
                    ast::ObjectPropName::Word(w) => (w.value.to_string(), w.range),
                };
                if entries.iter().any(|e| e.key == key) {
                    return Err(ParseError {
                        code: "json/duplicate-key",
                        message: format!("duplicate key `{key}`"),
                        span: span(key_range),
                    });
                }
                entries.push(Entry {
                    key,
                    key_span: span(key_range),
                    value: convert(&prop.value, depth + 1)?,
                });
            }
            Node::new(span(o.range), Value::Map(entries)).with_style(Style::Flow)
        }
    })
}

fn value_range(value: &ast::Value<'_>) -> jsonc_parser::common::Range {
    match value {
        ast::Value::StringLit(s) => s.range,
        ast::Value::NumberLit(n) => n.range,
        ast::Value::BooleanLit(b) => b.range,
        ast::Value::NullKeyword(n) => n.range,
        ast::Value::Array(a) => a.range,
        ast::Value::Object(o) => o.range,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_spans_of_keys_and_values() {
        let text = r#"{ "type": "Person", "n": [1, 2.5] }"#;
        let node = parse_json(text).expect("valid");
        let t = node.get("type").expect("present");
        assert_eq!(&text[t.key_span.start..t.key_span.end], "\"type\"");
        assert_eq!(&text[t.value.span.start..t.value.span.end], "\"Person\"");
    }

    #[test]
    fn reports_trailing_commas_at_their_position() {
        let text = "{\n  \"a\": 1,\n}\n";
        let err = parse_json(text).expect_err("strict");
        assert_eq!(err.code, "json/syntax");
        assert!(err.span.start >= 10, "{err:?}");
    }

    #[test]
    fn reports_a_raw_line_break_where_the_string_breaks() {
        let text = "{\n  \"title\": \"a\nb\",\n  \"x\": \"\\\"\\n\"\n}";
        let error = parse_json(text).expect_err("a raw newline in a string");
        assert_eq!(
            error.span,
            Span::point(text.find("a\nb").expect("there") + 1)
        );
        assert!(error.message.contains("line break"), "{}", error.message);
        assert!(parse_json("{\"a\": \"x\\ny\\\"\"}").is_ok());
    }

    #[test]
    fn refuses_deep_nesting() {
        let text = "[".repeat(20_000) + &"]".repeat(20_000);
        assert!(parse_json(&text).is_err());
    }

    #[test]
    fn keeps_huge_numbers_as_written() {
        let node = parse_json(r#"{"n": 184467440737095516160}"#).expect("valid");
        let Value::Number(n) = &node.get("n").expect("present").value.value else {
            panic!()
        };
        assert_eq!(n.as_u64(), None);
        assert_eq!(n.text, "184467440737095516160");
    }
}
