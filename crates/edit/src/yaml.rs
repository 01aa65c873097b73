//! Edits of YAML text (a `.yaml` file or a page's front matter) as splices at the bytes of
//! the values: a scalar's bytes are replaced in place; a new key is a new line at the end of
//! its mapping; list items are moved, added and removed as whole line ranges; flow collections
//! keep their separators. Everything else in the file (comments, blank lines, key order, line
//! endings) is left as it is.

use crate::error::EditError;
use crate::path::{as_index, FieldPath};
use crate::scalar::{emit_scalar, ScalarContext};
use crate::text::{column, line_end, line_ending, line_start, trim_back, Flow, Splice};
use crate::Edit;

mod lines;
use folio_content::tree::{Entry, Node, Style, Value};
use serde_json::Value as Json;

/// The file's indentation habits, used for new lines.
struct Layout {
    nl: &'static str,
    /// Indentation of a nested mapping relative to its key.
    unit: usize,
    /// Indentation of a block list's dashes relative to its key (0 for `key:\n- a`).
    seq_indent: usize,
}

/// How a value is reached from its parent.
#[derive(Clone, Copy)]
enum Slot<'n> {
    Root,
    Entry(&'n Entry),
    Item { list: &'n Node, index: usize },
}

/// A value in the file and how it is reached.
#[derive(Clone, Copy)]
struct Loc<'n> {
    node: &'n Node,
    slot: Slot<'n>,
    /// Inside a flow collection.
    flow: bool,
}

/// Where a path leads.
enum Walk<'n> {
    Found(Loc<'n>),
    /// The mapping at `map` has no key `path[depth]`.
    MissingKey {
        map: Loc<'n>,
        depth: usize,
    },
    /// The value at `path[..depth]` is null.
    NullParent {
        at: Loc<'n>,
        depth: usize,
    },
}

/// A YAML document inside its file.
pub(crate) struct YamlText<'a> {
    text: &'a str,
    /// Byte range of the YAML in the file.
    region: (usize, usize),
    root: &'a Node,
    layout: Layout,
    path: &'a FieldPath,
}

/// The splices that apply `edit` to the YAML at `region` of `text`, whose tree is `root`.
pub(crate) fn edit_yaml(
    text: &str,
    region: (usize, usize),
    root: &Node,
    edit: &Edit,
) -> Result<Vec<Splice>, EditError> {
    let path = edit.path();
    let mut doc = YamlText {
        text,
        region,
        root,
        layout: Layout {
            nl: line_ending(&text[region.0..region.1]),
            unit: 2,
            seq_indent: 2,
        },
        path,
    };
    doc.detect_layout(root);
    let segments = path.segments();
    let nested = |from: usize, value: Json| nest(&segments[from..], value);
    match edit {
        Edit::Set { value, .. } => match doc.walk(segments)? {
            Walk::Found(loc) => doc.replace_value(loc, value),
            Walk::MissingKey { map, depth } => {
                doc.insert_key(map, &segments[depth], &nested(depth + 1, value.clone()))
            }
            Walk::NullParent { at, depth } => doc.replace_value(at, &nested(depth, value.clone())),
        },
        Edit::Insert { index, value, .. } => {
            let one = Json::Array(vec![value.clone()]);
            match doc.walk(segments)? {
                Walk::Found(loc) => match &loc.node.value {
                    Value::List(items) if loc.node.style == Style::Block => {
                        doc.insert_item(loc.node, items, *index, value)
                    }
                    Value::List(items) if items.is_empty() && is_collection(value) => {
                        doc.replace_value(loc, &one)
                    }
                    Value::List(_) => {
                        let item = doc.flow_value(value);
                        Ok(vec![doc.flow(loc.node).insert(*index, &item, &item)])
                    }
                    Value::Null => doc.replace_value(loc, &one),
                    _ => Err(EditError::mismatch(doc.path, "a list", loc.node)),
                },
                Walk::MissingKey { map, depth } => {
                    doc.insert_key(map, &segments[depth], &nested(depth + 1, one))
                }
                Walk::NullParent { at, depth } => doc.replace_value(at, &nested(depth, one)),
            }
        }
        Edit::Unset { .. } | Edit::Remove { .. } => {
            let n = segments.len();
            let parent = doc.found(&segments[..n - 1])?;
            match &parent.node.value {
                Value::Map(entries) => {
                    let i = entries
                        .iter()
                        .position(|e| e.key == segments[n - 1])
                        .ok_or_else(|| EditError::not_found(doc.path, n - 1))?;
                    doc.remove_entry(parent, entries, i)
                }
                Value::List(items) => {
                    let i = as_index(&segments[n - 1])
                        .filter(|i| *i < items.len())
                        .ok_or_else(|| EditError::not_found(doc.path, n - 1))?;
                    if parent.node.style == Style::Flow {
                        Ok(vec![doc.flow(parent.node).remove(i)])
                    } else {
                        doc.remove_item(parent, items, i)
                    }
                }
                _ => Err(EditError::mismatch(
                    doc.path,
                    "an object or a list",
                    parent.node,
                )),
            }
        }
        Edit::Move { from, to, .. } => {
            let loc = doc.found(segments)?;
            match &loc.node.value {
                Value::List(items) if *from >= items.len() || *to >= items.len() => {
                    Err(EditError::IndexOutOfRange {
                        path: path.to_string(),
                        index: (*from).max(*to),
                        len: items.len(),
                    })
                }
                Value::List(_) if from == to => Ok(Vec::new()),
                Value::List(_) if loc.node.style == Style::Flow => {
                    Ok(vec![doc.flow(loc.node).reorder(*from, *to)])
                }
                Value::List(items) => doc.move_item(items, *from, *to),
                _ => Err(EditError::mismatch(doc.path, "a list", loc.node)),
            }
        }
    }
}

/// `value` inside objects named by `segments`, outermost first.
pub(crate) fn nest(segments: &[String], value: Json) -> Json {
    segments.iter().rev().fold(value, |inner, key| {
        let mut map = serde_json::Map::new();
        map.insert(key.clone(), inner);
        Json::Object(map)
    })
}

fn is_collection(value: &Json) -> bool {
    match value {
        Json::Array(items) => !items.is_empty(),
        Json::Object(map) => !map.is_empty(),
        _ => false,
    }
}

impl<'a> YamlText<'a> {
    fn detect_layout(&mut self, node: &Node) {
        let Value::Map(entries) = &node.value else {
            if let Value::List(items) = &node.value {
                items.iter().for_each(|i| self.detect_layout(i));
            }
            return;
        };
        for entry in entries {
            let key_col = column(self.text, entry.key_span.start);
            match &entry.value.value {
                Value::Map(children) if entry.value.style == Style::Block => {
                    if let Some(child) = children.first() {
                        let col = column(self.text, child.key_span.start);
                        if col > key_col {
                            self.layout.unit = col - key_col;
                            self.layout.seq_indent = self.layout.unit;
                            return;
                        }
                    }
                }
                Value::List(items) if entry.value.style == Style::Block => {
                    if let Some(Ok(dash)) = items.first().map(|_| self.dash_of(&entry.value, 0)) {
                        let col = column(self.text, dash);
                        self.layout.seq_indent = col.saturating_sub(key_col);
                    }
                }
                _ => {}
            }
            self.detect_layout(&entry.value);
        }
    }

    fn unsupported(&self, construct: &str) -> EditError {
        EditError::Unsupported {
            path: self.path.to_string(),
            construct: construct.to_string(),
        }
    }

    fn check_editable(&self, node: &Node) -> Result<(), EditError> {
        match node.style {
            Style::Alias => Err(self.unsupported(
                "the value is an alias (`*name`); edit the anchored value it repeats",
            )),
            Style::Anchored => {
                Err(self
                    .unsupported("the value carries an anchor (`&name`) that aliases may repeat"))
            }
            _ => Ok(()),
        }
    }

    fn walk(&self, segments: &[String]) -> Result<Walk<'a>, EditError> {
        let mut cur = Loc {
            node: self.root,
            slot: Slot::Root,
            flow: false,
        };
        for (depth, segment) in segments.iter().enumerate() {
            self.check_editable(cur.node)?;
            let flow = cur.flow || cur.node.style == Style::Flow;
            cur = match &cur.node.value {
                Value::Map(entries) => match entries.iter().find(|e| &e.key == segment) {
                    Some(entry) if !within(cur.node, entry.key_span.start) => {
                        return Err(self.unsupported(
                            "the key comes from a merge key (`<<`); edit the mapping it repeats",
                        ))
                    }
                    Some(entry) => Loc {
                        node: &entry.value,
                        slot: Slot::Entry(entry),
                        flow,
                    },
                    None => return Ok(Walk::MissingKey { map: cur, depth }),
                },
                Value::List(items) => {
                    let index =
                        as_index(segment).ok_or_else(|| EditError::not_found(self.path, depth))?;
                    let item = items.get(index).ok_or(EditError::IndexOutOfRange {
                        path: self.path.prefix(depth).to_string(),
                        index,
                        len: items.len(),
                    })?;
                    Loc {
                        node: item,
                        slot: Slot::Item {
                            list: cur.node,
                            index,
                        },
                        flow,
                    }
                }
                Value::Null => return Ok(Walk::NullParent { at: cur, depth }),
                _ => {
                    return Err(EditError::mismatch(
                        self.path,
                        "an object or a list",
                        cur.node,
                    ))
                }
            };
        }
        self.check_editable(cur.node)?;
        Ok(Walk::Found(cur))
    }

    fn found(&self, segments: &[String]) -> Result<Loc<'a>, EditError> {
        match self.walk(segments)? {
            Walk::Found(loc) => Ok(loc),
            Walk::MissingKey { depth, .. } | Walk::NullParent { depth, .. } => {
                Err(EditError::not_found(self.path, depth))
            }
        }
    }

    /// The first byte of a value as written (a block collection's first key or item).
    fn first_byte(&self, node: &Node) -> usize {
        match &node.value {
            Value::Map(entries) if node.style == Style::Block && !entries.is_empty() => {
                entries[0].key_span.start
            }
            Value::List(items) if node.style == Style::Block && !items.is_empty() => {
                self.first_byte(&items[0])
            }
            _ => node.span.start,
        }
    }

    /// The `-` of item `index` of the block list `list`.
    fn dash_of(&self, list: &Node, index: usize) -> Result<usize, EditError> {
        let Value::List(items) = &list.value else {
            return Err(EditError::mismatch(self.path, "a list", list));
        };
        let mut item = &items[index];
        let mut levels = 1;
        while let (Value::List(inner), Style::Block) = (&item.value, item.style) {
            match inner.first() {
                Some(first) => {
                    item = first;
                    levels += 1;
                }
                None => break,
            }
        }
        let mut pos = self.first_byte(&items[index]);
        for _ in 0..levels {
            let before = self.text[..pos].trim_end_matches([' ', '\t', '\r', '\n']);
            if !before.ends_with('-') {
                return Err(self.unsupported(
                    "a comment, anchor or tag stands between a list item's `-` and its value",
                ));
            }
            pos = before.len() - 1;
        }
        Ok(pos)
    }

    /// Just past the line break after the last line of `node` (for a kept block scalar, its
    /// trailing empty lines included).
    fn content_end(&self, node: &Node) -> usize {
        match &node.value {
            Value::Map(entries) if node.style == Style::Block && !entries.is_empty() => {
                self.content_end(&entries[entries.len() - 1].value)
            }
            Value::List(items) if node.style == Style::Block && !items.is_empty() => {
                self.content_end(&items[items.len() - 1])
            }
            _ if self.keeps_trailing_lines(node) => node.span.end,
            _ => {
                let end = trim_back(self.text, node.span.start, node.span.end);
                line_end(self.text, end.saturating_sub(1)).min(self.region.1)
            }
        }
    }

    fn keeps_trailing_lines(&self, node: &Node) -> bool {
        self.block_header(node)
            .is_some_and(|(start, end)| self.text[start..end].contains('+'))
    }

    /// Byte range of a block scalar's header (`|`, `>-`, `|+2`).
    fn block_header(&self, node: &Node) -> Option<(usize, usize)> {
        if !matches!(node.style, Style::Literal | Style::Folded) {
            return None;
        }
        let mut start = line_start(self.text, node.span.start);
        loop {
            if start <= self.region.0 {
                return None;
            }
            let prev = line_start(self.text, start - 1);
            let line = &self.text[prev..start];
            if !line.trim().is_empty() {
                let code = line.find(" #").map_or(line, |i| &line[..i]).trim_end();
                let token_start = code.rfind([' ', '\t']).map_or(0, |i| i + 1);
                let token = &code[token_start..];
                return token
                    .starts_with(['|', '>'])
                    .then_some((prev + token_start, prev + code.len()));
            }
            start = prev;
        }
    }

    /// Where the text of `node` ends, for replacing it (block scalars: the end of the last
    /// content line, before its line break).
    fn value_end(&self, node: &Node) -> usize {
        if node.span.is_empty() {
            return node.span.start;
        }
        match node.style {
            Style::Block | Style::Literal | Style::Folded => {
                let end = self.content_end(node);
                let text = &self.text[..end];
                if text.ends_with("\r\n") {
                    end - 2
                } else if text.ends_with('\n') {
                    end - 1
                } else {
                    end
                }
            }
            _ => node.span.end,
        }
    }

    fn after_colon(&self, entry: &Entry) -> usize {
        let from = entry.key_span.end;
        self.text[from..].find(':').map_or(from, |i| from + i + 1)
    }

    /// The column new content of a value is indented from: its key's, or its item's dash's.
    fn owner_column(&self, loc: Loc<'_>) -> Result<usize, EditError> {
        Ok(match loc.slot {
            Slot::Root => 0,
            Slot::Entry(entry) => column(self.text, entry.key_span.start),
            Slot::Item { list, index } if list.style == Style::Block => {
                column(self.text, self.dash_of(list, index)?)
            }
            Slot::Item { .. } => column(self.text, loc.node.span.start),
        })
    }

    fn ctx(&self, flow: bool, indent: usize) -> ScalarContext<'static> {
        ScalarContext {
            flow,
            indent,
            nl: self.layout.nl,
        }
    }

    fn flow(&self, node: &'a Node) -> Flow<'a> {
        let items = match &node.value {
            Value::List(items) => items.iter().map(|i| (i.span.start, i.span.end)).collect(),
            Value::Map(entries) => entries
                .iter()
                .map(|e| (e.key_span.start, e.value.span.end.max(e.key_span.end)))
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

    fn replace_value(&self, loc: Loc<'_>, value: &Json) -> Result<Vec<Splice>, EditError> {
        let old = loc.node;
        let nl = self.layout.nl;
        let owner_col = self.owner_column(loc)?;
        // A flow collection stays flow while it holds only scalars; nested content goes block.
        let flat = match value {
            Json::Array(items) => !items.iter().any(is_collection),
            Json::Object(map) => !map.values().any(is_collection),
            _ => true,
        };
        let as_flow = loc.flow || (old.style == Style::Flow && is_collection(value) && flat);
        let start = match loc.slot {
            Slot::Entry(entry) => self.after_colon(entry),
            Slot::Root | Slot::Item { .. } => self
                .block_header(old)
                .map_or_else(|| self.first_byte(old), |h| h.0),
        };
        let end = self.value_end(old);
        let space = |at: usize| {
            if self.text[..at].ends_with([' ', '\t']) {
                ""
            } else {
                " "
            }
        };
        if !is_collection(value) || as_flow {
            let text = match value {
                _ if is_collection(value) => self.flow_value(value),
                Json::Array(_) => "[]".into(),
                Json::Object(_) => "{}".into(),
                scalar => {
                    // An old scalar's style is kept; a collection or `key:` gives none.
                    let was_scalar = !matches!(old.value, Value::List(_) | Value::Map(_));
                    let keep = (was_scalar && !old.span.is_empty()).then_some(old.style);
                    let indent = owner_col + self.layout.unit.max(2);
                    emit_scalar(scalar, keep, &self.ctx(loc.flow, indent))
                }
            };
            if let Some((h_start, h_end)) = self.block_header(old) {
                let content_start = line_end(self.text, h_end);
                let (header, content) = match text.split_once(nl) {
                    Some((header, lines)) if text.starts_with(['|', '>']) => {
                        (header.to_string(), lines.to_string())
                    }
                    _ => (text, String::new()),
                };
                // New content replaces the old lines up to the final line break; an inline
                // value takes the header's place and the content lines go.
                let cut = if content.is_empty() {
                    self.content_end(old)
                } else {
                    end
                }
                .max(content_start);
                return Ok(vec![
                    Splice::new(h_start, h_end, header),
                    Splice::new(content_start, cut, content),
                ]);
            }
            return Ok(match (old.span.is_empty(), &old.value, loc.slot) {
                (true, _, Slot::Root) => vec![Splice::new(start, start, text)],
                (true, _, _) => vec![Splice::new(start, start, format!("{}{text}", space(start)))],
                (false, Value::Map(_) | Value::List(_), Slot::Entry(_))
                    if old.style == Style::Block =>
                {
                    vec![Splice::new(start, end, format!(" {text}"))]
                }
                (false, Value::Map(_) | Value::List(_), _) if old.style == Style::Block => {
                    vec![Splice::new(start, end, text)]
                }
                _ => vec![Splice::new(old.span.start, old.span.end, text)],
            });
        }
        // A non-empty collection written as block lines.
        match loc.slot {
            Slot::Root => {
                let text = self.block_lines(value, 0).join(nl);
                if old.span.is_empty() {
                    let at = self.region.1;
                    let lead = if self.text[self.region.0..at].is_empty()
                        || self.text[..at].ends_with('\n')
                    {
                        ""
                    } else {
                        nl
                    };
                    Ok(vec![Splice::new(at, at, format!("{lead}{text}{nl}"))])
                } else {
                    Ok(vec![Splice::new(start, end, text)])
                }
            }
            Slot::Entry(_) => {
                let child = if matches!(value, Json::Array(_)) {
                    self.layout.seq_indent
                } else {
                    self.layout.unit
                };
                let text = format!(
                    "{nl}{}",
                    self.block_lines(value, owner_col + child).join(nl)
                );
                if old.span.is_empty() {
                    // `key:` (maybe with a comment): the lines go after the key's line.
                    let at = line_end(self.text, start);
                    let at = at
                        - (self.text[..at].len()
                            - self.text[..at].trim_end_matches(['\n', '\r']).len());
                    Ok(vec![Splice::new(at, at, text)])
                } else {
                    Ok(vec![Splice::new(start, end, text)])
                }
            }
            Slot::Item { .. } => {
                let mut lines = self.block_lines(value, owner_col + 2);
                lines[0] = lines[0].trim_start().to_string();
                let text = lines.join(nl);
                if old.span.is_empty() {
                    Ok(vec![Splice::new(
                        start,
                        start,
                        format!("{}{text}", space(start)),
                    )])
                } else {
                    Ok(vec![Splice::new(start, end, text)])
                }
            }
        }
    }
}

fn within(node: &Node, pos: usize) -> bool {
    node.span.start <= pos && pos <= node.span.end
}
