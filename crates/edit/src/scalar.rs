//! YAML scalars written for an edit: the old value's style is kept when the new value can be
//! written in it (plain stays plain, quoted stays quoted, a block scalar keeps `|` or `>`), and
//! every candidate is parsed back before it is used, so that `title: yes` or `n: 012` never
//! turns a string into something else.

use crate::expect::Tree;
use folio_content::tree::Style;
use folio_content::yaml::parse_yaml;
use serde_json::Value as Json;

/// Where a scalar goes.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ScalarContext<'a> {
    /// Inside a flow collection (`[…]`, `{…}`): no block scalars, stricter plain scalars.
    pub flow: bool,
    /// Indentation of block scalar content lines.
    pub indent: usize,
    /// The file's line ending.
    pub nl: &'a str,
}

/// Strings YAML 1.1 tools read as booleans: quoted so that no tool sees a boolean.
const YAML11_BOOLEANS: &[&str] = &[
    "yes", "Yes", "YES", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF",
];

/// Characters a YAML stream may hold unescaped (YAML 1.2 `c-printable`, minus the BOM and the
/// YAML 1.1 line separators).
fn printable(c: char) -> bool {
    matches!(c, '\t' | ' '..='~' | '\u{a0}'..='\u{d7ff}' | '\u{10000}'..)
        || (matches!(c, '\u{e000}'..='\u{fffd}') && c != '\u{feff}')
}

fn plain_candidate(s: &str, flow: bool) -> Option<String> {
    let first = s.chars().next()?;
    let last = s.chars().last()?;
    let bad_edge = first.is_whitespace() || last.is_whitespace() || last == ':';
    let indicator = "-?:,[]{}#&*!|>'\"%@`".contains(first);
    let breaks = s.contains(": ") || s.contains(" #") || s.contains(['\t', '\n', '\r']);
    let flow_bad = flow && s.contains([',', '[', ']', '{', '}']);
    let odd = !s.chars().all(printable) || YAML11_BOOLEANS.contains(&s);
    (!(bad_edge || indicator || breaks || flow_bad || odd)).then(|| s.to_string())
}

fn single_candidate(s: &str) -> Option<String> {
    (!s.contains(['\n', '\r', '\t']) && s.chars().all(printable))
        .then(|| format!("'{}'", s.replace('\'', "''")))
}

/// `s` double-quoted with JSON-style escapes (and `\uXXXX` for anything not printable).
pub(crate) fn double_quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if printable(c) => out.push(c),
            c => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    out.push_str(&format!("\\u{unit:04X}"));
                }
            }
        }
    }
    out.push('"');
    out
}

/// A block scalar (`|` or `>` with the chomping the value needs), content at `ctx.indent`,
/// without a final line break. `None` if the value cannot be written so.
fn block_candidate(s: &str, folded: bool, ctx: &ScalarContext<'_>) -> Option<String> {
    let body = s.trim_end_matches('\n');
    let trailing = s.len() - body.len();
    let starts_blank = body.starts_with([' ', '\t', '\n']);
    if ctx.flow || body.is_empty() || starts_blank || s.contains('\r') {
        return None;
    }
    if !s.chars().all(|c| c == '\n' || printable(c)) {
        return None;
    }
    if folded && body.split('\n').any(|l| l.starts_with([' ', '\t'])) {
        return None;
    }
    let chomp = match trailing {
        0 => "-",
        1 => "",
        _ => "+",
    };
    let mut out = String::from(if folded { ">" } else { "|" });
    out.push_str(chomp);
    let text = if folded {
        refold(body)
    } else {
        body.to_string()
    };
    let pad = " ".repeat(ctx.indent);
    for line in text.split('\n') {
        out.push_str(ctx.nl);
        if !line.is_empty() {
            out.push_str(&pad);
            out.push_str(line);
        }
    }
    for _ in 1..trailing {
        out.push_str(ctx.nl);
    }
    Some(out)
}

/// Folded text for `body`: a single line break folds to a space when read, so each run of
/// `n` breaks is written as `n + 1`.
fn refold(body: &str) -> String {
    let mut out = String::with_capacity(body.len() + 8);
    let mut in_run = false;
    for c in body.chars() {
        if c == '\n' && !in_run {
            out.push('\n');
        }
        in_run = c == '\n';
        out.push(c);
    }
    out
}

/// Whether `text` (the scalar as written) reads back as `expected`.
fn reads_back(text: &str, expected: &Tree, ctx: &ScalarContext<'_>) -> bool {
    let doc = if ctx.flow {
        format!("k: [{text}]")
    } else {
        // In the file, a line break follows the value.
        format!("k: {text}{}", ctx.nl)
    };
    let Ok(node) = parse_yaml(&doc, 0) else {
        return false;
    };
    let Some(entry) = node.get("k") else {
        return false;
    };
    let tree = Tree::from_node(&entry.value);
    match (ctx.flow, tree) {
        (true, Tree::List(items)) => items.len() == 1 && items[0] == *expected,
        (false, tree) => tree == *expected,
        _ => false,
    }
}

/// `value` (a JSON scalar) as YAML text, in the style `keep` when it can be.
pub(crate) fn emit_scalar(value: &Json, keep: Option<Style>, ctx: &ScalarContext<'_>) -> String {
    let expected = Tree::from_json(value);
    let s = match value {
        Json::String(s) => s,
        Json::Null => return "null".into(),
        other => return other.to_string(),
    };
    let multi_line = s.contains('\n');
    let literal = || block_candidate(s, false, ctx);
    let folded = || block_candidate(s, true, ctx);
    let plain = || plain_candidate(s, ctx.flow);
    let single = || single_candidate(s);
    let candidates: Vec<Option<String>> = match keep {
        Some(Style::SingleQuoted) => vec![single()],
        Some(Style::DoubleQuoted) => vec![],
        Some(Style::Literal) => vec![literal()],
        Some(Style::Folded) => vec![folded()],
        _ if multi_line => vec![literal()],
        _ => vec![plain(), single()],
    };
    candidates
        .into_iter()
        .flatten()
        .find(|text| reads_back(text, &expected, ctx))
        .unwrap_or_else(|| double_quoted(s))
}

/// A mapping key as YAML text: plain when it reads back as the same key, else quoted.
pub(crate) fn emit_key(key: &str) -> String {
    let doc_key = |text: &str| {
        parse_yaml(&format!("{text}: 1"), 0)
            .ok()
            .and_then(|n| n.as_map().and_then(|m| m.first().map(|e| e.key.clone())))
    };
    [plain_candidate(key, true), single_candidate(key)]
        .into_iter()
        .flatten()
        .find(|text| doc_key(text).as_deref() == Some(key))
        .unwrap_or_else(|| double_quoted(key))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const BLOCK: ScalarContext<'static> = ScalarContext {
        flow: false,
        indent: 2,
        nl: "\n",
    };

    fn emit(value: Json, keep: Option<Style>) -> String {
        emit_scalar(&value, keep, &BLOCK)
    }

    #[test]
    fn plain_stays_plain_unless_the_text_would_read_as_something_else() {
        assert_eq!(emit(json!("New title"), Some(Style::Plain)), "New title");
        assert_eq!(
            emit(json!("/images/a.jpg"), Some(Style::Plain)),
            "/images/a.jpg"
        );
        assert_eq!(emit(json!("12"), Some(Style::Plain)), "'12'");
        assert_eq!(emit(json!("true"), Some(Style::Plain)), "'true'");
        assert_eq!(emit(json!("null"), Some(Style::Plain)), "'null'");
        assert_eq!(emit(json!("yes"), Some(Style::Plain)), "'yes'");
        assert_eq!(emit(json!("a: b"), Some(Style::Plain)), "'a: b'");
        assert_eq!(emit(json!("a #b"), Some(Style::Plain)), "'a #b'");
        assert_eq!(emit(json!("- a"), Some(Style::Plain)), "'- a'");
        assert_eq!(emit(json!(""), Some(Style::Plain)), "''");
        assert_eq!(emit(json!(" x"), Some(Style::Plain)), "' x'");
    }

    #[test]
    fn quoted_stays_quoted_with_its_escapes() {
        assert_eq!(emit(json!("it's"), Some(Style::SingleQuoted)), "'it''s'");
        assert_eq!(
            emit(json!("a\"b\\c"), Some(Style::DoubleQuoted)),
            r#""a\"b\\c""#
        );
        assert_eq!(emit(json!("a\nb"), Some(Style::SingleQuoted)), r#""a\nb""#);
        assert_eq!(
            emit(json!("\u{7f}"), Some(Style::DoubleQuoted)),
            r#""\u007F""#
        );
    }

    #[test]
    fn block_scalars_keep_their_indicator_and_choose_the_chomping() {
        assert_eq!(emit(json!("a\nb\n"), Some(Style::Literal)), "|\n  a\n  b");
        assert_eq!(emit(json!("a\nb"), Some(Style::Literal)), "|-\n  a\n  b");
        assert_eq!(emit(json!("a\n\n"), Some(Style::Literal)), "|+\n  a\n");
        assert_eq!(
            emit(json!("one line"), Some(Style::Folded)),
            ">-\n  one line"
        );
        assert_eq!(emit(json!("a\nb"), Some(Style::Folded)), ">-\n  a\n\n  b");
        assert_eq!(
            emit(json!("a\n\nb"), Some(Style::Folded)),
            ">-\n  a\n\n\n  b"
        );
        assert_eq!(
            emit(json!(" lead\nx"), Some(Style::Literal)),
            r#"" lead\nx""#
        );
    }

    #[test]
    fn numbers_and_booleans_are_written_as_yaml() {
        assert_eq!(emit(json!(12), Some(Style::SingleQuoted)), "12");
        assert_eq!(emit(json!(1.5), None), "1.5");
        assert_eq!(emit(json!(false), None), "false");
    }

    #[test]
    fn flow_context_quotes_flow_indicators() {
        let flow = ScalarContext {
            flow: true,
            ..BLOCK
        };
        assert_eq!(
            emit_scalar(&json!("a,b"), Some(Style::Plain), &flow),
            "'a,b'"
        );
        assert_eq!(emit_scalar(&json!("a\nb"), None, &flow), r#""a\nb""#);
    }

    #[test]
    fn keys_are_quoted_only_when_needed() {
        assert_eq!(emit_key("title"), "title");
        assert_eq!(emit_key("a: b"), "'a: b'");
        assert_eq!(emit_key(""), "''");
    }
}
