//! The value model of verification: a file's values as a plain, order-keeping tree, the tree
//! an edit should produce (computed from the old one, independently of the text change), and
//! the first difference between two trees, for the refusal message.

use crate::error::EditError;
use crate::path::{as_index, FieldPath};
use crate::Edit;
use folio_content::tree::{Node, Value};
use serde_json::Value as Json;

/// A value without location or style. Mappings keep their key order and nulls, so that a
/// reordered or dropped key counts as a change.
#[derive(Debug, Clone)]
pub(crate) enum Tree {
    Null,
    Bool(bool),
    Number(f64),
    String(String),
    List(Vec<Tree>),
    Map(Vec<(String, Tree)>),
}

impl PartialEq for Tree {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Tree::Null, Tree::Null) => true,
            (Tree::Bool(a), Tree::Bool(b)) => a == b,
            (Tree::Number(a), Tree::Number(b)) => a == b || a.to_bits() == b.to_bits(),
            (Tree::String(a), Tree::String(b)) => a == b,
            (Tree::List(a), Tree::List(b)) => a == b,
            (Tree::Map(a), Tree::Map(b)) => a == b,
            _ => false,
        }
    }
}

impl Tree {
    pub(crate) fn from_node(node: &Node) -> Tree {
        match &node.value {
            Value::Null => Tree::Null,
            Value::Bool(b) => Tree::Bool(*b),
            Value::Number(n) => Tree::Number(n.value),
            Value::String(s) => Tree::String(s.clone()),
            Value::List(items) => Tree::List(items.iter().map(Tree::from_node).collect()),
            Value::Map(entries) => Tree::Map(
                entries
                    .iter()
                    .map(|e| (e.key.clone(), Tree::from_node(&e.value)))
                    .collect(),
            ),
        }
    }

    pub(crate) fn from_json(value: &Json) -> Tree {
        match value {
            Json::Null => Tree::Null,
            Json::Bool(b) => Tree::Bool(*b),
            Json::Number(n) => Tree::Number(n.as_f64().unwrap_or(f64::NAN)),
            Json::String(s) => Tree::String(s.clone()),
            Json::Array(items) => Tree::List(items.iter().map(Tree::from_json).collect()),
            Json::Object(map) => Tree::Map(
                map.iter()
                    .map(|(k, v)| (k.clone(), Tree::from_json(v)))
                    .collect(),
            ),
        }
    }

    pub(crate) fn kind_name(&self) -> &'static str {
        match self {
            Tree::Null => "null",
            Tree::Bool(_) => "a boolean",
            Tree::Number(_) => "a number",
            Tree::String(_) => "a string",
            Tree::List(_) => "a list",
            Tree::Map(_) => "an object",
        }
    }

    fn short(&self) -> String {
        match self {
            Tree::Null => "null".into(),
            Tree::Bool(b) => b.to_string(),
            Tree::Number(n) => n.to_string(),
            Tree::String(s) if s.chars().count() > 40 => {
                format!("{:?}…", s.chars().take(40).collect::<String>())
            }
            Tree::String(s) => format!("{s:?}"),
            Tree::List(items) => format!("a list of {}", items.len()),
            Tree::Map(entries) => format!("an object of {} keys", entries.len()),
        }
    }
}

/// The value at `path[..depth]` descended one step, by `path[depth]`.
fn child_mut<'t>(
    tree: &'t mut Tree,
    path: &FieldPath,
    depth: usize,
) -> Result<&'t mut Tree, EditError> {
    let segment = &path.segments()[depth];
    match tree {
        Tree::Map(entries) => entries
            .iter_mut()
            .find(|(k, _)| k == segment)
            .map(|(_, v)| v)
            .ok_or_else(|| EditError::not_found(path, depth)),
        Tree::List(items) => {
            let len = items.len();
            let index = as_index(segment).ok_or_else(|| EditError::TypeMismatch {
                path: path.prefix(depth).to_string(),
                expected: "an object",
                found: "a list",
            })?;
            items.get_mut(index).ok_or(EditError::IndexOutOfRange {
                path: path.prefix(depth).to_string(),
                index,
                len,
            })
        }
        other => Err(EditError::TypeMismatch {
            path: path.prefix(depth).to_string(),
            expected: "an object or a list",
            found: other.kind_name(),
        }),
    }
}

/// The value at `path`, which must exist.
fn at_mut<'t>(tree: &'t mut Tree, path: &FieldPath) -> Result<&'t mut Tree, EditError> {
    let mut node = tree;
    for depth in 0..path.segments().len() {
        node = child_mut(node, path, depth)?;
    }
    Ok(node)
}

/// The value at `path`, creating missing keys (and turning nulls into objects) on the way.
fn at_or_create<'t>(tree: &'t mut Tree, path: &FieldPath) -> Result<&'t mut Tree, EditError> {
    let mut node = tree;
    for (depth, segment) in path.segments().iter().enumerate() {
        if matches!(node, Tree::Null) {
            *node = Tree::Map(Vec::new());
        }
        if let Tree::Map(entries) = node {
            if !entries.iter().any(|(k, _)| k == segment) {
                entries.push((segment.clone(), Tree::Null));
            }
        }
        node = child_mut(node, path, depth)?;
    }
    Ok(node)
}

fn list_mut<'t>(tree: &'t mut Tree, path: &FieldPath) -> Result<&'t mut Vec<Tree>, EditError> {
    match at_mut(tree, path)? {
        Tree::List(items) => Ok(items),
        other => Err(EditError::TypeMismatch {
            path: path.to_string(),
            expected: "a list",
            found: other.kind_name(),
        }),
    }
}

fn check_index(path: &FieldPath, index: usize, len: usize) -> Result<(), EditError> {
    if index < len {
        Ok(())
    } else {
        Err(EditError::IndexOutOfRange {
            path: path.to_string(),
            index,
            len,
        })
    }
}

/// The parent path and last segment of `path`.
fn split_last(path: &FieldPath) -> (FieldPath, &str) {
    let n = path.segments().len();
    (path.prefix(n - 1), &path.segments()[n - 1])
}

/// Apply `edit` to `tree`: the values the file must hold afterwards.
pub(crate) fn apply(tree: &mut Tree, edit: &Edit) -> Result<(), EditError> {
    match edit {
        Edit::Set { path, value } => *at_or_create(tree, path)? = Tree::from_json(value),
        Edit::Unset { path } | Edit::Remove { path } => {
            let (parent, last) = split_last(path);
            match at_mut(tree, &parent)? {
                Tree::Map(entries) => {
                    let at = entries
                        .iter()
                        .position(|(k, _)| k == last)
                        .ok_or_else(|| EditError::not_found(path, parent.segments().len()))?;
                    entries.remove(at);
                }
                Tree::List(items) => {
                    let index = as_index(last).ok_or_else(|| EditError::not_found(path, 0))?;
                    check_index(path, index, items.len())?;
                    items.remove(index);
                }
                other => {
                    return Err(EditError::TypeMismatch {
                        path: parent.to_string(),
                        expected: "an object or a list",
                        found: other.kind_name(),
                    })
                }
            }
        }
        Edit::Insert { path, index, value } => {
            let list = at_or_create(tree, path)?;
            if matches!(list, Tree::Null) {
                *list = Tree::List(Vec::new());
            }
            let Tree::List(items) = list else {
                return Err(EditError::TypeMismatch {
                    path: path.to_string(),
                    expected: "a list",
                    found: list.kind_name(),
                });
            };
            check_index(path, *index, items.len() + 1)?;
            items.insert(*index, Tree::from_json(value));
        }
        Edit::Move { path, from, to } => {
            let items = list_mut(tree, path)?;
            check_index(path, *from, items.len())?;
            check_index(path, *to, items.len())?;
            let item = items.remove(*from);
            items.insert(*to, item);
        }
    }
    Ok(())
}

/// Where and how `actual` differs from `expected`, if it does.
pub(crate) fn first_difference(expected: &Tree, actual: &Tree, at: &str) -> Option<String> {
    let name = if at.is_empty() { "the file" } else { at };
    match (expected, actual) {
        (Tree::List(a), Tree::List(b)) if a.len() == b.len() => a
            .iter()
            .zip(b)
            .enumerate()
            .find_map(|(i, (x, y))| first_difference(x, y, &join(at, &i.to_string()))),
        (Tree::Map(a), Tree::Map(b)) if a.len() == b.len() => {
            a.iter().zip(b).find_map(|((ka, va), (kb, vb))| {
                if ka != kb {
                    Some(format!(
                        "`{name}` would have key `{kb}` where `{ka}` belongs"
                    ))
                } else {
                    first_difference(va, vb, &join(at, ka))
                }
            })
        }
        _ if expected == actual => None,
        _ => Some(format!(
            "`{name}` would be {} instead of {}",
            actual.short(),
            expected.short()
        )),
    }
}

fn join(at: &str, segment: &str) -> String {
    if at.is_empty() {
        segment.to_string()
    } else {
        format!("{at}.{segment}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn tree(value: Json) -> Tree {
        Tree::from_json(&value)
    }

    fn path(text: &str) -> FieldPath {
        text.parse().expect("valid path")
    }

    #[test]
    fn set_creates_missing_objects_along_the_path() {
        let mut t = tree(json!({"title": "a", "styles": null}));
        let edit = Edit::Set {
            path: path("styles.self.padding"),
            value: json!(["pt-4"]),
        };
        apply(&mut t, &edit).expect("applies");
        assert_eq!(
            t,
            tree(json!({"title": "a", "styles": {"self": {"padding": ["pt-4"]}}}))
        );
    }

    #[test]
    fn list_edits_follow_splice_semantics() {
        let mut t = tree(json!({"l": [1, 2, 3]}));
        let mv = Edit::Move {
            path: path("l"),
            from: 0,
            to: 2,
        };
        apply(&mut t, &mv).expect("moves");
        assert_eq!(t, tree(json!({"l": [2, 3, 1]})));
        let insert = Edit::Insert {
            path: path("l"),
            index: 3,
            value: json!(4),
        };
        apply(&mut t, &insert).expect("appends");
        let remove = Edit::Remove { path: path("l.0") };
        apply(&mut t, &remove).expect("removes");
        assert_eq!(t, tree(json!({"l": [3, 1, 4]})));
    }

    #[test]
    fn refuses_paths_through_scalars_and_past_the_end() {
        let mut t = tree(json!({"title": "a", "l": [1]}));
        let set = |p: &str| Edit::Set {
            path: path(p),
            value: json!(1),
        };
        let err = apply(&mut t, &set("title.x")).expect_err("through a string");
        assert_eq!(err.code(), "edit/type-mismatch");
        let err = apply(&mut t, &set("l.1")).expect_err("past the end");
        assert_eq!(err.code(), "edit/index-out-of-range");
        let err = apply(&mut t, &Edit::Unset { path: path("nope") }).expect_err("missing");
        assert_eq!(err.code(), "edit/path-not-found");
    }

    #[test]
    fn describes_the_first_difference_and_key_order_counts() {
        let a = tree(json!({"a": 1, "b": {"c": [1, 2]}}));
        let b = tree(json!({"a": 1, "b": {"c": [1, 3]}}));
        let d = first_difference(&a, &b, "").expect("differs");
        assert_eq!(d, "`b.c.1` would be 3 instead of 2");
        let swapped = tree(json!({"b": {"c": [1, 2]}, "a": 1}));
        assert!(first_difference(&a, &swapped, "").is_some());
        assert_eq!(first_difference(&a, &a.clone(), ""), None);
    }
}
