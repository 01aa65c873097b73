//! Located YAML and JSON: documents parsed into a [`tree::Node`] tree in which every key,
//! scalar and collection knows its byte span in whole-file coordinates, so that every
//! diagnostic (and every editor write) can point at exact bytes.
//!
//! Content files, `folio.toml`'s neighbours and a site's own Stackbit model files are all read
//! through this crate; it knows nothing of the content model.
#![warn(missing_docs)]

pub mod json;
pub mod tree;
pub mod yaml;

pub use json::parse_json;
pub use tree::{Entry, Node, ParseError, PathStep, Value};
pub use yaml::parse_yaml;

use serde_json::Value as Json;

/// The located tree as plain JSON (spans dropped, nulls in mappings dropped).
pub fn to_json(node: &Node) -> Json {
    match &node.value {
        Value::Null => Json::Null,
        Value::Bool(b) => Json::Bool(*b),
        Value::Number(n) => {
            if n.is_integer() && n.value.abs() < 9.0e15 {
                Json::from(n.value as i64)
            } else {
                serde_json::Number::from_f64(n.value)
                    .map_or(Json::String(n.text.clone()), Json::Number)
            }
        }
        Value::String(s) => Json::String(s.clone()),
        // Sized once (a filtered iterator would grow them step by step): thousands of pages
        // hold these until the build ends.
        Value::List(items) => {
            let mut list = Vec::with_capacity(items.len());
            list.extend(items.iter().filter(|i| !i.is_null()).map(to_json));
            Json::Array(list)
        }
        Value::Map(entries) => {
            let mut map = serde_json::Map::with_capacity(entries.len());
            map.extend(
                entries
                    .iter()
                    .filter(|e| !e.value.is_null())
                    .map(|e| (e.key.clone(), to_json(&e.value))),
            );
            Json::Object(map)
        }
    }
}
