//! New YAML written in the file's layout: block lines for new objects, lists and list items,
//! flow text inside flow collections, and the whole-line edits of block mappings (a new key,
//! a removed key) and block lists (insert, remove, move an item).

use super::{is_collection, within, Loc, YamlText};
use crate::error::EditError;
use crate::scalar::{emit_key, emit_scalar};
use crate::text::{column, line_start, Splice};
use folio_content::tree::{Entry, Node, Style, Value};
use serde_json::Value as Json;

impl YamlText<'_> {
    pub(super) fn flow_value(&self, value: &Json) -> String {
        match value {
            Json::Array(items) => format!(
                "[{}]",
                items
                    .iter()
                    .map(|v| self.flow_value(v))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Json::Object(map) => format!(
                "{{{}}}",
                map.iter()
                    .map(|(k, v)| format!("{}: {}", emit_key(k), self.flow_value(v)))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            scalar => emit_scalar(scalar, None, &self.ctx(true, 0)),
        }
    }
    /// Lines of a non-empty collection as block YAML at `indent`.
    pub(super) fn block_lines(&self, value: &Json, indent: usize) -> Vec<String> {
        let pad = " ".repeat(indent);
        let mut lines = Vec::new();
        match value {
            Json::Object(map) => {
                for (key, v) in map {
                    let key = format!("{pad}{}:", emit_key(key));
                    match v {
                        Json::Object(_) if is_collection(v) => {
                            lines.push(key);
                            lines.extend(self.block_lines(v, indent + self.layout.unit));
                        }
                        Json::Array(_) if is_collection(v) => {
                            lines.push(key);
                            lines.extend(self.block_lines(v, indent + self.layout.seq_indent));
                        }
                        _ => lines.push(format!("{key} {}", self.inline(v, indent))),
                    }
                }
            }
            Json::Array(items) => {
                for item in items {
                    lines.extend(self.item_lines(item, indent));
                }
            }
            scalar => lines.push(format!("{pad}{}", self.inline(scalar, indent))),
        }
        lines
    }
    /// A list item as block YAML lines, its dash at `dash_col`.
    pub(super) fn item_lines(&self, value: &Json, dash_col: usize) -> Vec<String> {
        let pad = " ".repeat(dash_col);
        if is_collection(value) {
            let mut lines = self.block_lines(value, dash_col + 2);
            lines[0] = format!("{pad}- {}", lines[0].trim_start());
            lines
        } else {
            vec![format!("{pad}- {}", self.inline(value, dash_col))]
        }
    }
    /// A scalar or an empty collection on the line of its key or dash at `owner_col`.
    pub(super) fn inline(&self, value: &Json, owner_col: usize) -> String {
        match value {
            Json::Array(_) => "[]".into(),
            Json::Object(_) => "{}".into(),
            scalar => {
                let indent = owner_col + self.layout.unit.max(2);
                emit_scalar(scalar, None, &self.ctx(false, indent))
            }
        }
    }
    /// Line start of each item of a block list, and the end of the last one.
    pub(super) fn item_lines_of(
        &self,
        list: &Node,
        items: &[Node],
    ) -> Result<(Vec<usize>, usize, usize), EditError> {
        let mut starts = Vec::with_capacity(items.len());
        for index in 0..items.len() {
            let dash = self.dash_of(list, index)?;
            let start = line_start(self.text, dash);
            if !self.text[start..dash].trim().is_empty() {
                return Err(self.unsupported("a list item shares its line with another value"));
            }
            starts.push(start);
        }
        let end = self.content_end(&items[items.len() - 1]);
        let dash_col = column(self.text, self.dash_of(list, 0)?);
        Ok((starts, end, dash_col))
    }
    pub(super) fn insert_item(
        &self,
        list: &Node,
        items: &[Node],
        index: usize,
        value: &Json,
    ) -> Result<Vec<Splice>, EditError> {
        let nl = self.layout.nl;
        let (starts, end, dash_col) = self.item_lines_of(list, items)?;
        let text = self.item_lines(value, dash_col).join(nl);
        let at = starts.get(index).copied().unwrap_or(end);
        if at == self.text.len() && !self.text.ends_with('\n') {
            Ok(vec![Splice::new(at, at, format!("{nl}{text}"))])
        } else {
            Ok(vec![Splice::new(at, at, format!("{text}{nl}"))])
        }
    }
    pub(super) fn remove_item(
        &self,
        list: Loc<'_>,
        items: &[Node],
        index: usize,
    ) -> Result<Vec<Splice>, EditError> {
        if items.len() == 1 {
            return self.replace_value(list, &Json::Array(Vec::new()));
        }
        let (starts, end, _) = self.item_lines_of(list.node, items)?;
        let stop = starts.get(index + 1).copied().unwrap_or(end);
        Ok(vec![Splice::new(starts[index], stop, "")])
    }
    pub(super) fn move_item(
        &self,
        items: &[Node],
        from: usize,
        to: usize,
    ) -> Result<Vec<Splice>, EditError> {
        let list = self.found(self.path.segments())?.node;
        let nl = self.layout.nl;
        let (starts, end, _) = self.item_lines_of(list, items)?;
        let mut chunks: Vec<String> = (0..starts.len())
            .map(|i| self.text[starts[i]..starts.get(i + 1).copied().unwrap_or(end)].to_string())
            .collect();
        let unterminated = !chunks[chunks.len() - 1].ends_with('\n');
        if unterminated {
            let last = chunks.len() - 1;
            chunks[last].push_str(nl);
        }
        let moved = chunks.remove(from);
        chunks.insert(to, moved);
        let mut text = chunks.concat();
        if unterminated {
            text.truncate(text.len() - nl.len());
        }
        Ok(vec![Splice::new(starts[0], end, text)])
    }
    pub(super) fn insert_key(
        &self,
        map: Loc<'_>,
        key: &str,
        value: &Json,
    ) -> Result<Vec<Splice>, EditError> {
        let node = map.node;
        let Value::Map(entries) = &node.value else {
            return Err(EditError::mismatch(self.path, "an object", node));
        };
        if node.style == Style::Flow || map.flow {
            let item = format!("{}: {}", emit_key(key), self.flow_value(value));
            return Ok(vec![self.flow(node).insert(entries.len(), &item, &item)]);
        }
        if entries.iter().any(|e| !within(node, e.key_span.start)) {
            return Err(self.unsupported("the mapping takes keys from a merge key (`<<`)"));
        }
        let Some(first) = entries.first() else {
            let mut object = serde_json::Map::new();
            object.insert(key.to_string(), value.clone());
            return self.replace_value(map, &Json::Object(object));
        };
        let nl = self.layout.nl;
        let indent = column(self.text, first.key_span.start);
        let mut object = serde_json::Map::new();
        object.insert(key.to_string(), value.clone());
        let text = self.block_lines(&Json::Object(object), indent).join(nl);
        let at = self.content_end(node);
        if at == self.text.len() && !self.text.ends_with('\n') {
            Ok(vec![Splice::new(at, at, format!("{nl}{text}"))])
        } else {
            Ok(vec![Splice::new(at, at, format!("{text}{nl}"))])
        }
    }
    pub(super) fn remove_entry(
        &self,
        map: Loc<'_>,
        entries: &[Entry],
        i: usize,
    ) -> Result<Vec<Splice>, EditError> {
        if map.node.style == Style::Flow || map.flow {
            return Ok(vec![self.flow(map.node).remove(i)]);
        }
        if entries.len() == 1 {
            return self.replace_value(map, &Json::Object(serde_json::Map::new()));
        }
        let key = entries[i].key_span.start;
        let line = line_start(self.text, key);
        if self.text[line..key].trim().is_empty() {
            let end = match entries.get(i + 1) {
                Some(next) => line_start(self.text, next.key_span.start),
                None => self.content_end(&entries[i].value),
            };
            Ok(vec![Splice::new(line, end, "")])
        } else if i == 0 {
            Ok(vec![Splice::new(key, entries[1].key_span.start, "")])
        } else {
            Err(self.unsupported("several keys share a line"))
        }
    }
}
