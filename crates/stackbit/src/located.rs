//! Located values: what a Stackbit file says, read from YAML, JSON or a statically evaluated
//! TypeScript expression, with the file and byte span of every value, so that a problem in a
//! model spread across several files is reported where it is written.

use folio_diag::{Diagnostic, Span};
use folio_syntax::tree::{Node, Value};
use serde_json::Value as Json;
use std::sync::Arc;

/// A value and where it is written.
#[derive(Debug, Clone, PartialEq)]
pub struct Located {
    /// Site-relative path of the file.
    pub file: Arc<str>,
    /// Bytes of the value in that file.
    pub span: Span,
    /// The value (shared: a field list spread into forty models is read once).
    pub value: Arc<Lv>,
}

/// The value of a [`Located`].
#[derive(Debug, Clone, PartialEq)]
pub enum Lv {
    /// `null` or `undefined`.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// A number.
    Number(f64),
    /// A string.
    String(String),
    /// A list; `holes` are the parts that could not be read (a spread of a function call).
    List(Vec<Located>, Vec<Located>),
    /// An object's entries in order; `holes` as for lists (a computed key, a dynamic spread).
    Map(Vec<(String, Located)>, Vec<Located>),
    /// Something known only when the program runs; the text says what (`a function call`).
    Dynamic(String),
    /// A name imported from a package (`defineStackbitConfig` from `@stackbit/types`).
    External {
        /// The package.
        module: String,
        /// The imported name (`default` for a default import).
        name: String,
    },
}

impl Located {
    /// A value at `span` of `file`.
    pub fn new(file: &Arc<str>, span: Span, value: Lv) -> Located {
        Located {
            file: Arc::clone(file),
            span,
            value: Arc::new(value),
        }
    }

    /// The entry `key` of an object.
    pub fn get(&self, key: &str) -> Option<&Located> {
        match &*self.value {
            Lv::Map(entries, _) => entries.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The entries of an object.
    pub fn entries(&self) -> &[(String, Located)] {
        match &*self.value {
            Lv::Map(entries, _) => entries,
            _ => &[],
        }
    }

    /// The items of a list.
    pub fn items(&self) -> &[Located] {
        match &*self.value {
            Lv::List(items, _) => items,
            _ => &[],
        }
    }

    /// The parts of a list or object that could not be read.
    pub fn holes(&self) -> &[Located] {
        match &*self.value {
            Lv::List(_, holes) | Lv::Map(_, holes) => holes,
            _ => &[],
        }
    }

    /// A string value.
    pub fn as_str(&self) -> Option<&str> {
        match &*self.value {
            Lv::String(s) => Some(s),
            _ => None,
        }
    }

    /// A string, or a number or boolean as its text (enum values are written both ways).
    pub fn scalar_text(&self) -> Option<String> {
        match &*self.value {
            Lv::String(s) => Some(s.clone()),
            Lv::Number(n) => Some(number_text(*n)),
            Lv::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }

    /// A boolean, also written as the strings `true` / `false`.
    pub fn as_bool(&self) -> Option<bool> {
        match &*self.value {
            Lv::Bool(b) => Some(*b),
            Lv::String(s) if s == "true" || s == "false" => Some(s == "true"),
            _ => None,
        }
    }

    /// A number, also written as a string of digits.
    pub fn as_f64(&self) -> Option<f64> {
        match &*self.value {
            Lv::Number(n) => Some(*n),
            Lv::String(s) => s.trim().parse().ok(),
            _ => None,
        }
    }

    /// Whether the value is `null` / `undefined`.
    pub fn is_null(&self) -> bool {
        matches!(*self.value, Lv::Null)
    }

    /// The first part of the value that could not be read, if any (itself, a hole, or inside an
    /// entry or item).
    pub fn first_dynamic(&self) -> Option<&Located> {
        match &*self.value {
            Lv::Dynamic(_) | Lv::External { .. } => Some(self),
            Lv::List(items, holes) => holes
                .first()
                .or_else(|| items.iter().find_map(Located::first_dynamic)),
            Lv::Map(entries, holes) => holes
                .first()
                .or_else(|| entries.iter().find_map(|(_, v)| v.first_dynamic())),
            _ => None,
        }
    }

    /// The value as plain JSON, leaving out what could not be read.
    pub fn to_json(&self) -> Json {
        match &*self.value {
            Lv::Null | Lv::Dynamic(_) | Lv::External { .. } => Json::Null,
            Lv::Bool(b) => Json::Bool(*b),
            Lv::Number(n) => number_json(*n),
            Lv::String(s) => Json::String(s.clone()),
            Lv::List(items, _) => Json::Array(
                items
                    .iter()
                    .filter(|i| i.first_dynamic().is_none_or(|d| d.span != i.span))
                    .map(Located::to_json)
                    .collect(),
            ),
            Lv::Map(entries, _) => {
                let mut map = serde_json::Map::new();
                for (key, value) in entries {
                    if !matches!(*value.value, Lv::Dynamic(_) | Lv::External { .. }) {
                        map.insert(key.clone(), value.to_json());
                    }
                }
                Json::Object(map)
            }
        }
    }

    /// A note that this value could not be read statically, and what folio does instead.
    pub fn dynamic_note(&self, instead: &str) -> Diagnostic {
        let what = match &*self.value {
            Lv::Dynamic(what) => what.clone(),
            Lv::External { module, name } if module == "global" => format!("`{name}`"),
            Lv::External { module, name } => format!("`{name}` from `{module}`"),
            _ => "a computed value".into(),
        };
        Diagnostic::note(
            "stackbit/dynamic",
            format!("folio reads model files without running them, and this is {what}"),
        )
        .in_file(self.file.to_string())
        .at(self.span)
        .with_label("known only when the code runs")
        .with_help(format!(
            "{instead}; write the value out literally for folio to read it"
        ))
    }

    /// The located value of a YAML or JSON tree of `file`.
    pub fn from_node(file: &Arc<str>, node: &Node) -> Located {
        let value = match &node.value {
            Value::Null => Lv::Null,
            Value::Bool(b) => Lv::Bool(*b),
            Value::Number(n) => Lv::Number(n.value),
            Value::String(s) => Lv::String(s.clone()),
            Value::List(items) => Lv::List(
                items.iter().map(|i| Located::from_node(file, i)).collect(),
                Vec::new(),
            ),
            Value::Map(entries) => Lv::Map(
                entries
                    .iter()
                    .map(|e| (e.key.clone(), Located::from_node(file, &e.value)))
                    .collect(),
                Vec::new(),
            ),
        };
        Located::new(file, node.span, value)
    }
}

/// A number as it would be written: `2`, not `2.0`.
pub fn number_text(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 9.0e15 {
        format!("{}", n as i64)
    } else {
        n.to_string()
    }
}

fn number_json(n: f64) -> Json {
    if n.fract() == 0.0 && n.abs() < 9.0e15 {
        Json::from(n as i64)
    } else {
        serde_json::Number::from_f64(n).map_or(Json::Null, Json::Number)
    }
}
