//! Edits of JSON data files as splices: a scalar's bytes are replaced in place, and items and
//! keys are added, removed and moved with the separators and indentation already written.

use crate::error::EditError;
use crate::path::{as_index, FieldPath};
use crate::text::{line_ending, line_indent, Flow, Splice};
use crate::Edit;
use folio_content::tree::{Node, Value};
use serde::Serialize;
use serde_json::Value as Json;

/// Where a path leads.
enum Walk<'n> {
    Found(&'n Node),
    MissingKey { map: &'n Node, depth: usize },
    NullParent { at: &'n Node, depth: usize },
}

struct JsonText<'a> {
    text: &'a str,
    nl: &'static str,
    /// One level of indentation as the file writes it.
    unit: String,
    path: &'a FieldPath,
}

/// The splices that apply `edit` to the JSON `text`, whose tree is `root`.
pub(crate) fn edit_json(text: &str, root: &Node, edit: &Edit) -> Result<Vec<Splice>, EditError> {
    let unit = text
        .lines()
        .map(|l| &l[..l.len() - l.trim_start_matches([' ', '\t']).len()])
        .find(|indent| !indent.is_empty())
        .unwrap_or("  ")
        .to_string();
    let doc = JsonText {
        text,
        nl: line_ending(text),
        unit,
        path: edit.path(),
    };
    let segments = edit.path().segments();
    let nested = |from: usize, value: Json| crate::yaml::nest(&segments[from..], value);
    match edit {
        Edit::Set { value, .. } => match doc.walk(root, segments)? {
            Walk::Found(node) => Ok(vec![doc.replace(node, value)]),
            Walk::MissingKey { map, depth } => {
                doc.insert_key(map, &segments[depth], &nested(depth + 1, value.clone()))
            }
            Walk::NullParent { at, depth } => {
                Ok(vec![doc.replace(at, &nested(depth, value.clone()))])
            }
        },
        Edit::Insert { index, value, .. } => {
            let one = Json::Array(vec![value.clone()]);
            match doc.walk(root, segments)? {
                Walk::Found(node) => match &node.value {
                    Value::List(_) => Ok(vec![doc.insert(node, *index, value)]),
                    Value::Null => Ok(vec![doc.replace(node, &one)]),
                    _ => Err(EditError::mismatch(doc.path, "a list", node)),
                },
                Walk::MissingKey { map, depth } => {
                    doc.insert_key(map, &segments[depth], &nested(depth + 1, one))
                }
                Walk::NullParent { at, depth } => Ok(vec![doc.replace(at, &nested(depth, one))]),
            }
        }
        Edit::Unset { .. } | Edit::Remove { .. } => {
            let n = segments.len();
            let Walk::Found(parent) = doc.walk(root, &segments[..n - 1])? else {
                return Err(EditError::not_found(doc.path, n - 1));
            };
            let last = &segments[n - 1];
            let index = match &parent.value {
                Value::Map(entries) => entries.iter().position(|e| &e.key == last),
                Value::List(items) => as_index(last).filter(|i| *i < items.len()),
                _ => return Err(EditError::mismatch(doc.path, "an object or a list", parent)),
            };
            let index = index.ok_or_else(|| EditError::not_found(doc.path, n - 1))?;
            Ok(vec![doc.flow(parent).remove(index)])
        }
        Edit::Move { from, to, .. } => {
            let Walk::Found(list) = doc.walk(root, segments)? else {
                return Err(EditError::not_found(doc.path, segments.len()));
            };
            match &list.value {
                Value::List(items) if *from >= items.len() || *to >= items.len() => {
                    Err(EditError::IndexOutOfRange {
                        path: doc.path.to_string(),
                        index: (*from).max(*to),
                        len: items.len(),
                    })
                }
                Value::List(_) if from == to => Ok(Vec::new()),
                Value::List(_) => Ok(vec![doc.flow(list).reorder(*from, *to)]),
                _ => Err(EditError::mismatch(doc.path, "a list", list)),
            }
        }
    }
}

impl<'a> JsonText<'a> {
    fn walk<'n>(&self, root: &'n Node, segments: &[String]) -> Result<Walk<'n>, EditError> {
        let mut cur = root;
        for (depth, segment) in segments.iter().enumerate() {
            cur = match &cur.value {
                Value::Map(entries) => match entries.iter().find(|e| &e.key == segment) {
                    Some(entry) => &entry.value,
                    None => return Ok(Walk::MissingKey { map: cur, depth }),
                },
                Value::List(items) => {
                    let index =
                        as_index(segment).ok_or_else(|| EditError::not_found(self.path, depth))?;
                    items.get(index).ok_or(EditError::IndexOutOfRange {
                        path: self.path.prefix(depth).to_string(),
                        index,
                        len: items.len(),
                    })?
                }
                Value::Null => return Ok(Walk::NullParent { at: cur, depth }),
                _ => return Err(EditError::mismatch(self.path, "an object or a list", cur)),
            };
        }
        Ok(Walk::Found(cur))
    }

    fn flow(&self, node: &Node) -> Flow<'a> {
        let items = match &node.value {
            Value::List(items) => items.iter().map(|i| (i.span.start, i.span.end)).collect(),
            Value::Map(entries) => entries
                .iter()
                .map(|e| (e.key_span.start, e.value.span.end))
                .collect(),
            _ => Vec::new(),
        };
        Flow {
            text: self.text,
            open: node.span.start,
            close: node.span.end.saturating_sub(1),
            items,
        }
    }

    /// `value` as JSON: pretty (in the file's indentation, continuation lines at `base`) or
    /// on one line.
    fn value_text(&self, value: &Json, base: &str, pretty: bool) -> String {
        if !pretty {
            return value.to_string();
        }
        let mut out = Vec::new();
        let formatter = serde_json::ser::PrettyFormatter::with_indent(self.unit.as_bytes());
        let mut serializer = serde_json::Serializer::with_formatter(&mut out, formatter);
        if value.serialize(&mut serializer).is_err() {
            return value.to_string();
        }
        String::from_utf8_lossy(&out).replace('\n', &format!("{}{base}", self.nl))
    }

    fn replace(&self, node: &Node, value: &Json) -> Splice {
        let base = line_indent(self.text, node.span.start);
        let pretty = self.text.contains('\n');
        Splice::new(
            node.span.start,
            node.span.end,
            self.value_text(value, base, pretty),
        )
    }

    /// Insert `item` (a finished text maker given the item indentation) into the collection.
    fn insert_text(
        &self,
        node: &Node,
        index: usize,
        item: impl Fn(&str, bool) -> String,
    ) -> Splice {
        let flow = self.flow(node);
        let parent = line_indent(self.text, node.span.start).to_string();
        match flow.items.first() {
            Some(first) => {
                let multi = flow.multi_line();
                let base = if multi {
                    line_indent(self.text, first.0).to_string()
                } else {
                    parent
                };
                let text = item(&base, multi);
                flow.insert(index, &text, &text)
            }
            None if self.text.contains('\n') => {
                let base = format!("{parent}{}", self.unit);
                let text = item(&base, true);
                let nl = self.nl;
                flow.insert(index, &text, &format!("{nl}{base}{text}{nl}{parent}"))
            }
            None => {
                let text = item(&parent, false);
                flow.insert(index, &text, &text)
            }
        }
    }

    fn insert(&self, list: &Node, index: usize, value: &Json) -> Splice {
        self.insert_text(list, index, |base, pretty| {
            self.value_text(value, base, pretty)
        })
    }

    fn insert_key(&self, map: &Node, key: &str, value: &Json) -> Result<Vec<Splice>, EditError> {
        let Value::Map(entries) = &map.value else {
            return Err(EditError::mismatch(self.path, "an object", map));
        };
        let key = Json::String(key.to_string()).to_string();
        Ok(vec![self.insert_text(
            map,
            entries.len(),
            |base, pretty| format!("{key}: {}", self.value_text(value, base, pretty)),
        )])
    }
}
