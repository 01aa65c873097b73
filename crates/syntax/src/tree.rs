//! The located tree: a YAML or JSON document where every key, scalar and collection knows its
//! byte span in whole-file coordinates, so that every diagnostic (and later every editor write)
//! can point at exact bytes.

use folio_diag::Span;

/// A value with its location.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// Bytes of the value in the file (for collections: from the first to the last byte).
    pub span: Span,
    /// The value.
    pub value: Value,
    /// How the value is written (what the editor needs to keep it so).
    pub style: Style,
}

/// How a value is written in its file: the scalar style or the collection form, so that an
/// edit can keep it. JSON strings are [`Style::DoubleQuoted`], JSON arrays and objects
/// [`Style::Flow`], other JSON scalars [`Style::Plain`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Style {
    /// A plain (unquoted) scalar; also what [`Node::new`] gives.
    #[default]
    Plain,
    /// `'single quoted'`.
    SingleQuoted,
    /// `"double quoted"`.
    DoubleQuoted,
    /// A literal block scalar (`|`, `|-`, `|+`).
    Literal,
    /// A folded block scalar (`>`, `>-`, `>+`).
    Folded,
    /// A block collection (indented `key: value` lines or `- item` lines).
    Block,
    /// A flow collection (`[a, b]`, `{a: 1}`) or any JSON collection.
    Flow,
    /// A YAML node carrying an anchor (`&name`), whichever its form.
    Anchored,
    /// A YAML alias (`*name`) expanded in place; its inner spans point at the anchored node.
    Alias,
}

/// A located value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// `null`, `~` or an empty value (`key:`).
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number, with its source text kept for exact range checks.
    Number(Number),
    /// A string (quoted or plain).
    String(String),
    /// A sequence.
    List(Vec<Node>),
    /// A mapping, in source order.
    Map(Vec<Entry>),
}

/// A number as written, and its value as a float.
#[derive(Debug, Clone, PartialEq)]
pub struct Number {
    /// The source text (`12`, `1e3`, `0x1F`).
    pub text: String,
    /// The value (integers beyond 2^53 lose precision here; use [`Number::as_u64`]).
    pub value: f64,
}

impl Number {
    /// The number as an unsigned integer, if it is one and fits.
    pub fn as_u64(&self) -> Option<u64> {
        let text = self.text.strip_prefix('+').unwrap_or(&self.text);
        if let Some(hex) = text.strip_prefix("0x") {
            return u64::from_str_radix(hex, 16).ok();
        }
        if let Some(oct) = text.strip_prefix("0o") {
            return u64::from_str_radix(oct, 8).ok();
        }
        text.parse::<u64>().ok().or_else(|| {
            (self.value.fract() == 0.0 && self.value >= 0.0 && self.value < u64::MAX as f64)
                .then_some(self.value as u64)
        })
    }

    /// Whether the value is a whole number.
    pub fn is_integer(&self) -> bool {
        self.value.is_finite() && self.value.fract() == 0.0
    }
}

/// One step of a path into a document: a mapping's key or a list's index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathStep {
    /// The value of this key.
    Key(String),
    /// The item at this index.
    Index(usize),
}

/// One `key: value` pair of a mapping.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// The key text.
    pub key: String,
    /// Bytes of the key.
    pub key_span: Span,
    /// The value.
    pub value: Node,
}

impl Node {
    /// A node, in [`Style::Plain`].
    pub fn new(span: Span, value: Value) -> Self {
        Node {
            span,
            value,
            style: Style::Plain,
        }
    }

    /// The same node written in `style`.
    pub fn with_style(self, style: Style) -> Self {
        Node { style, ..self }
    }

    /// The entries, if this is a mapping.
    pub fn as_map(&self) -> Option<&[Entry]> {
        match &self.value {
            Value::Map(entries) => Some(entries),
            _ => None,
        }
    }

    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The entry called `key`, if this is a mapping that has it.
    pub fn get(&self, key: &str) -> Option<&Entry> {
        self.as_map()?.iter().find(|e| e.key == key)
    }

    /// Where `path` leads from this node: the span of the value it names when that is a
    /// scalar, of its key when it is a collection (a whole block would underline many lines),
    /// or of the deepest node reached when the path goes further than the document. Indexes
    /// count the items [`crate::to_json`] keeps, which leaves out nulls.
    pub fn span_at(&self, path: &[PathStep]) -> Span {
        let mut node = self;
        let mut key_span = None;
        for step in path {
            let next = match (step, &node.value) {
                (PathStep::Key(key), Value::Map(_)) => {
                    node.get(key).map(|e| (&e.value, Some(e.key_span)))
                }
                (PathStep::Index(i), Value::List(items)) => items
                    .iter()
                    .filter(|n| !n.is_null())
                    .nth(*i)
                    .map(|n| (n, None)),
                _ => None,
            };
            let Some((inner, key)) = next else { break };
            node = inner;
            key_span = key;
        }
        match (&node.value, key_span) {
            (Value::List(_) | Value::Map(_), Some(key)) => key,
            _ => node.span,
        }
    }

    /// Whether this is `null`.
    pub fn is_null(&self) -> bool {
        matches!(self.value, Value::Null)
    }

    /// How the value is described in messages (`a string`, `a list`…).
    pub fn kind_name(&self) -> &'static str {
        self.value.kind_name()
    }
}

impl Value {
    /// How the value is described in messages.
    pub fn kind_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Number(_) => "a number",
            Value::String(_) => "a string",
            Value::List(_) => "a list",
            Value::Map(_) => "an object",
        }
    }
}

/// A parse failure at a position: the message and the byte span to underline.
#[derive(Debug, Clone, PartialEq)]
pub struct ParseError {
    /// Stable diagnostic code.
    pub code: &'static str,
    /// What went wrong.
    pub message: String,
    /// Where, in whole-file coordinates.
    pub span: Span,
}

/// Limits that keep hostile input from exhausting memory or the stack.
pub mod limits {
    /// Deepest nesting of collections accepted in YAML and JSON.
    pub const MAX_DEPTH: usize = 100;
    /// Most values a YAML document may expand to through aliases.
    pub const MAX_ALIAS_NODES: usize = 100_000;
}
